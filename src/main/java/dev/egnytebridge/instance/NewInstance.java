package dev.egnytebridge.instance;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A checked {@code POST /instances} request, ready to store once Egnyte has granted the access token.
 *
 * @param configuration the configuration without its secrets
 * @param secrets       the API secret and signature key (the access token comes from the code exchange)
 */
public record NewInstance(String name, String elementKey, String subdomain, ObjectNode configuration,
                          InstanceSecrets secrets, List<String> tags, boolean eventsEnabled) {

    @Override
    public String toString() {
        return "NewInstance[name=" + name + ", subdomain=" + subdomain + "]";
    }
}
