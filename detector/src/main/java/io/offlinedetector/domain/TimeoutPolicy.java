package io.offlinedetector.domain;

import java.util.Map;

/**
 * Chooses a heartbeat's timeout (docs/design.md, 'Transitions'): its own {@code timeoutMs}, else
 * its type's timeout, else the default; the result is clamped to {@code [minMs, maxMs]}.
 */
public record TimeoutPolicy(long defaultMs, long minMs, long maxMs, Map<String, Long> typeTimeoutsMs) {

    public TimeoutPolicy {
        if (minMs <= 0) {
            throw new IllegalArgumentException("timeout.min must be positive, got " + minMs + " ms");
        }
        if (minMs > maxMs) {
            throw new IllegalArgumentException(
                    "timeout.min (" + minMs + " ms) is greater than timeout.max (" + maxMs + " ms)");
        }
        typeTimeoutsMs = Map.copyOf(typeTimeoutsMs);
    }

    public long resolve(Heartbeat heartbeat) {
        return resolve(heartbeat.timeoutMs(), heartbeat.deviceType());
    }

    public long resolve(Long requestedMs, String deviceType) {
        long chosen;
        if (requestedMs != null) {
            chosen = requestedMs;
        } else if (deviceType != null && typeTimeoutsMs.containsKey(deviceType)) {
            chosen = typeTimeoutsMs.get(deviceType);
        } else {
            chosen = defaultMs;
        }
        return Math.max(minMs, Math.min(maxMs, chosen));
    }
}
