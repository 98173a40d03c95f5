package dev.egnytebridge.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells the other nodes of a cluster that work is waiting, with PostgreSQL's LISTEN/NOTIFY: a node that stores
 * notifications or changes the poll schedule {@link #send sends} a topic; every other node's dispatcher or scheduler
 * wakes at once instead of at its next fallback look ({@code bridge.delivery.idle-check-ms},
 * {@code bridge.poller.idle-check-ms}), which stays as the safety net for a signal missed while a node reconnects.
 * <p>
 * A signal sent inside a transaction goes at its commit (PostgreSQL delivers a NOTIFY only then, and never for a
 * rollback), once per topic however many rows the transaction stored. Each node listens on one connection of its pool,
 * held for as long as it runs. Does nothing when cluster mode is off: a lone node wakes itself in-process.
 */
public class ClusterSignals extends ServiceSupport {

    /** Deliveries were stored: wake the delivery dispatcher. */
    public static final String DELIVERIES = "deliveries";
    /** The poll schedule changed: wake the poll scheduler. */
    public static final String POLLS = "polls";

    static final String CHANNEL = "bridge_work";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSignals.class);
    /** How long a wait for signals lasts before the connection is checked with a query and the wait renewed. */
    private static final int WAIT_MS = 30_000;
    private static final long RECONNECT_MS = 5_000;
    private static final long STOP_WAIT_MS = 2_000;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final ClusterNode node;
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
    /** The topics a transaction has sent so far, bound to it while it runs (one NOTIFY per topic at its commit). */
    private final Object pendingKey = new Object();
    private volatile boolean running;
    private volatile Connection listening;
    /** The listening connection was lost and is not back yet (logged once). */
    private boolean reconnecting;
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    private Thread listener;

    public ClusterSignals(DataSource dataSource, ClusterNode node) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.node = node;
    }

    /** Runs {@code wake} when another node sends {@code topic}. */
    public void onSignal(String topic, Runnable wake) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(wake);
    }

    /** Tells the other nodes about {@code topic}: at the commit of the caller's transaction, or now without one. */
    public void send(String topic) {
        if (!node.clustered()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            notifyOthers(Set.of(topic));
            return;
        }
        @SuppressWarnings("unchecked")
        Set<String> pending = (Set<String>) TransactionSynchronizationManager.getResource(pendingKey);
        if (pending == null) {
            Set<String> topics = new LinkedHashSet<>();
            TransactionSynchronizationManager.bindResource(pendingKey, topics);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    notifyOthers(topics); // on the transaction's connection: delivered by its commit
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(pendingKey);
                }
            });
            pending = topics;
        }
        pending.add(topic);
    }

    private void notifyOthers(Set<String> topics) {
        for (String topic : topics) {
            // the payload names the sender, which skips its own signals (it woke itself in-process)
            notifyChannel(topic);
        }
    }

    /** One NOTIFY of {@code topic} from this node (the payload names it, so its own listener skips it). */
    private void notifyChannel(String topic) {
        jdbc.query("SELECT pg_notify(?, ?)", (ResultSetExtractor<Void>) rs -> null, CHANNEL, topic + " " + node.id());
    }

    @Override
    protected void doStart() {
        if (!node.clustered()) {
            return;
        }
        running = true;
        stopped = new CountDownLatch(1);
        listener = new Thread(this::listen, "cluster-signals");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        stopped.countDown();
        if (listener == null) {
            return;
        }
        try {
            // ends this node's wait: its listener sees it stopping and closes its connection in good order
            notifyChannel("stop");
        } catch (RuntimeException e) {
            LOG.debug("Could not signal this node's listener to stop", e);
        }
        listener.join(STOP_WAIT_MS);
        Connection connection = listening;
        if (listener.isAlive() && connection != null) {
            try {
                connection.abort(Runnable::run); // the database did not answer: end the wait by closing its socket
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not abort the connection listening for cluster signals", e);
            }
            listener.join(STOP_WAIT_MS);
        }
    }

    private void listen() {
        while (running) {
            Connection connection = null;
            boolean broken = false;
            try {
                connection = dataSource.getConnection();
                listening = connection;
                if (!connection.isWrapperFor(PGConnection.class)) {
                    LOG.warn("The data source's connections are not PostgreSQL's own (they do not unwrap to PGConnection): "
                            + "this node hears of the other nodes' work at its fallback looks only");
                    return;
                }
                listenOn(connection);
            } catch (SQLException | RuntimeException e) {
                broken = true;
                if (running) {
                    // once per outage: a database that stays down would otherwise repeat this every few seconds
                    if (!reconnecting) {
                        LOG.warn("Lost the connection that hears the other cluster nodes ({}); they are found by the "
                                + "fallback looks meanwhile, trying again every {} s", e.getMessage(), RECONNECT_MS / 1000);
                    }
                    reconnecting = true;
                    awaitReconnect();
                }
            } finally {
                listening = null;
                release(connection, broken);
            }
        }
    }

    /** Listens until this node stops; throws when the connection fails. */
    private void listenOn(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        if (reconnecting) {
            LOG.info("Hearing the other cluster nodes again");
            reconnecting = false;
        }
        while (running) {
            PGNotification[] received = postgres.getNotifications(WAIT_MS);
            if (received == null || received.length == 0) {
                // a quiet wait proves nothing: a connection cut without a word (a network partition) only fails when used
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                continue;
            }
            for (PGNotification notification : received) {
                deliver(notification.getParameter());
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN " + CHANNEL); // the connection goes back to the pool
        }
    }

    /**
     * A failed connection is evicted from the pool: its failure surfaced on the driver's own connection (the wait),
     * unseen by the pool, which would hand it, dead, to the next caller.
     */
    private void release(Connection connection, boolean broken) {
        if (connection == null) {
            return;
        }
        try {
            if (broken && dataSource instanceof HikariDataSource pool) {
                pool.evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not give back the connection that listened for cluster signals", e);
        }
    }

    private void deliver(String payload) {
        int space = payload.indexOf(' ');
        String topic = space < 0 ? payload : payload.substring(0, space);
        String sender = space < 0 ? "" : payload.substring(space + 1);
        if (sender.equals(node.id())) {
            return;
        }
        for (Runnable wake : listeners.getOrDefault(topic, List.of())) {
            try {
                wake.run();
            } catch (RuntimeException e) {
                LOG.warn("Waking on the cluster signal {} failed", topic, e);
            }
        }
    }

    private void awaitReconnect() {
        try {
            stopped.await(RECONNECT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
