package io.offlinedetector.http;

import io.offlinedetector.admin.DeviceRemoval;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Access to the admin endpoints: the bearer token that guards them, and what they act on (device
 * removal). Without a configured token they are off.
 *
 * @param token the expected bearer token, or {@code null} when admin endpoints are off
 */
public record AdminAccess(String token, DeviceRemoval removal) {

    public static final AdminAccess DISABLED = new AdminAccess(null, null);

    /** @throws ApiException 403 when admin endpoints are off, 401 when the token is missing or wrong */
    void authorize(String authorizationHeader) {
        if (token == null) {
            throw new ApiException(403, "admin endpoints are off: no admin.token is configured");
        }
        String prefix = "Bearer ";
        String given = authorizationHeader != null && authorizationHeader.startsWith(prefix)
                ? authorizationHeader.substring(prefix.length()).trim()
                : "";
        // Constant-time comparison, so response times do not reveal how much of a guess was right.
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "admin endpoints need 'Authorization: Bearer <admin.token>'",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
    }
}
