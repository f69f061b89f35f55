package io.offlinedetector.http;

import java.util.HashMap;
import java.util.Map;

/** Query-string parameters, percent-decoded; the first of repeated names wins. */
final class QueryString {

    private QueryString() {}

    static Map<String, String> parse(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = PercentDecoding.decode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? "" : PercentDecoding.decode(pair.substring(equals + 1), true);
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
