package dev.egnytebridge.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.security.CallbackAddressPolicy.RefusedCallbackAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which callback addresses the policy lets through, as written and as resolved at send time. */
class CallbackAddressPolicyTest {

    private static final String FIELD = "configuration.event.notification.callback.url";

    private final CallbackAddressPolicy strict = new CallbackAddressPolicy(false);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "::", "0.1.2.3",
            "10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "fc00::1", "fd12:3456::1", "fec0::1",
            "169.254.0.1", "fe80::1", "224.0.0.1", "239.255.255.250", "ff02::1", "100.64.0.1", "100.127.255.254",
            "169.254.169.254", "fd00:ec2::254", "255.255.255.255", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
            "::127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1"})
    void refusesEveryNonPublicAddressClass(String literal) throws UnknownHostException {
        assertThat(CallbackAddressPolicy.refusedAddress(InetAddress.getByName(literal))).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"})
    void letsPublicAddressesThrough(String literal) throws UnknownHostException {
        assertThat(CallbackAddressPolicy.refusedAddress(InetAddress.getByName(literal))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "https://[::1]/hook", "http://10.1.2.3/x", "http://[fd00:ec2::254]/",
            "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/",
            "http://localhost:9000/hook", "http://api.localhost/hook", "http://2130706433/hook",
            "http://[::ffff:192.168.0.1]/hook", "http://0.0.0.0/hook"})
    void refusesConfiguredUrlsWrittenWithARefusedAddress(String url) {
        assertThatThrownBy(() -> strict.checkConfigured(FIELD, List.of("https://ok.example.com/hook", url)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo(FIELD);
                    assertThat(e.getMessage()).contains("bridge.callbacks.allow-private-addresses");
                });
    }

    @Test
    void refusesAShortenedIpv4HostThatJavaCannotReadAsAHostAtAll() {
        // java.net.URI has no host for http://127.1/ (a numeric last label): refused as not an http(s) URL
        assertThatThrownBy(() -> strict.checkConfigured(FIELD, List.of("http://127.1/hook")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo(FIELD));
    }

    @Test
    void refusesNonHttpCallbackUrlsEvenWhenPrivateAddressesAreAllowed() {
        CallbackAddressPolicy lenient = new CallbackAddressPolicy(true);
        for (String url : List.of("ftp://files.example.com/x", "file:///etc/passwd", "gopher://127.0.0.1:25/", "http:///nohost")) {
            assertThatThrownBy(() -> lenient.checkConfigured(FIELD, List.of(url))).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void doesNotLookUpNamesWhenAnInstanceIsConfigured() {
        CallbackAddressPolicy policy = new CallbackAddressPolicy(false, host -> {
            throw new AssertionError("no DNS at configuration time");
        });
        assertThatCode(() -> policy.checkConfigured(FIELD, List.of("https://hooks.example.com/in?token=x"))).doesNotThrowAnyException();
    }

    @Test
    void allowPrivateLetsLoopbackThrough() {
        CallbackAddressPolicy lenient = new CallbackAddressPolicy(true);
        assertThatCode(() -> lenient.checkConfigured(FIELD, List.of("http://127.0.0.1:8080/hook", "http://[::1]/h",
                "http://localhost/h", "http://169.254.169.254/"))).doesNotThrowAnyException();
        assertThatCode(() -> lenient.addressToConnect("http://localhost:8080/hook")).doesNotThrowAnyException();
    }

    @Test
    void refusesAtSendTimeANameThatResolvesToAPrivateAddress() {
        CallbackAddressPolicy policy = new CallbackAddressPolicy(false, host -> new InetAddress[]{
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")});
        assertThatThrownBy(() -> policy.addressToConnect("https://hooks.example.com/in?token=secret-token"))
                .isInstanceOf(RefusedCallbackAddress.class)
                .hasMessageContaining("hooks.example.com resolves to 10.0.0.7, a private address")
                .hasMessageNotContaining("secret-token");
    }

    @Test
    void sendsToANameThatResolvesOnlyToPublicAddresses() {
        CallbackAddressPolicy policy = new CallbackAddressPolicy(false, host -> new InetAddress[]{InetAddress.getByName("93.184.215.14")});
        assertThatCode(() -> policy.addressToConnect("https://hooks.example.com/in")).doesNotThrowAnyException();
    }
}
