package dev.egnytebridge.delivery;

import java.time.Duration;
import java.util.List;

import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.wake.WakeableScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dispatcher looks for in the database and when, step by step: a dispatcher of its own on the bridge's
 * database (the bridge's dispatch route stopped), whose scheduler never runs by itself and whose fallback look is
 * ten minutes away, so each look a test sees was asked for.
 */
class DeliveryDispatcherTest extends BridgeTestSupport {

    private DeliveryDispatcher dispatcher;
    private Outbox outbox;
    private Instance instance;

    @BeforeEach
    void ownDispatcher() throws Exception {
        context.getRouteController().stopRoute("dispatch-deliveries");
        DeliveryClaims claims = new DeliveryClaims(OutboxFixture.jdbc(context),
                context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class),
                Duration.ofMinutes(5), Duration.ofMinutes(1));
        dispatcher = new DeliveryDispatcher(claims, new WakeableScheduler("test", Duration.ofMinutes(10)),
                10, 2, 100, Duration.ofMinutes(10));
        outbox = new Outbox(OutboxFixture.jdbc(context), dispatcher::newWork);
        instance = OutboxFixture.instance(context, "dispatcher", null);
    }

    @Test
    void workStoredJustBeforeASlotFreesIsStillLookedFor() {
        // two endpoints (ports 9 and 10; the test sends nothing, it only asks the dispatcher what to send)
        Notification first = store("1", "http://127.0.0.1:9/hook");
        List<Delivery> inFlight = dispatcher.nextToSend();
        assertThat(inFlight).extracting(Delivery::eventId).containsExactly(first.eventId());

        Notification second = store("2", "http://127.0.0.1:10/hook");
        dispatcher.finished(inFlight); // the first attempt ends before the route has run for the stored work

        assertThat(dispatcher.nextToSend()).extracting(Delivery::eventId).containsExactly(second.eventId());
    }

    @Test
    void workStoredWhileTheNodeIsFullIsLookedForOnceASlotFrees() {
        DeliveryClaims claims = new DeliveryClaims(OutboxFixture.jdbc(context),
                context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class),
                Duration.ofMinutes(5), Duration.ofMinutes(1));
        DeliveryDispatcher oneAtATime = new DeliveryDispatcher(claims,
                new WakeableScheduler("test", Duration.ofMinutes(10)), 1, 1, 100, Duration.ofMinutes(10));
        Outbox into = new Outbox(OutboxFixture.jdbc(context), oneAtATime::newWork);
        into.enqueue(OutboxFixture.notification(context, instance, "1"), List.of("http://127.0.0.1:9/hook"));
        into.enqueue(OutboxFixture.notification(context, instance, "2"), List.of("http://127.0.0.1:9/hook"));
        List<Delivery> inFlight = oneAtATime.nextToSend();
        assertThat(inFlight).hasSize(1);

        Notification third = OutboxFixture.notification(context, instance, "3");
        into.enqueue(third, List.of("http://127.0.0.1:10/hook"));
        assertThat(oneAtATime.nextToSend()).isEmpty(); // no slot: the one in flight holds the node's only one

        oneAtATime.finished(inFlight);
        assertThat(oneAtATime.nextToSend()).extracting(Delivery::eventId).contains(third.eventId());
    }

    private Notification store(String objectId, String url) {
        Notification n = OutboxFixture.notification(context, instance, objectId);
        outbox.enqueue(n, List.of(url));
        return n;
    }
}
