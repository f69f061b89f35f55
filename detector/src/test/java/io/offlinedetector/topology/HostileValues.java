package io.offlinedetector.topology;

import io.offlinedetector.topology.Expected.Generated;
import io.offlinedetector.topology.Rejection.Code;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Record values for a given device id, each with what it must become when the key is valid: valid
 * heartbeats wrapped in random telemetry, the recognised fields with wrong types or out of range,
 * mismatched ids, non-objects, broken JSON, and plain garbage (random bytes, mutations, extreme
 * nesting and numbers, other encodings) whose fate is only "heartbeat or dead letter".
 */
final class HostileValues {

    private static final int MAX_TYPE_CHARS = HeartbeatParser.MAX_DEVICE_TYPE_CHARS;
    private static final int MAX_GROUP_CHARS = HeartbeatParser.MAX_GROUP_CHARS;

    private final Random random;
    private final RandomJson json;

    HostileValues(Random random) {
        this.random = random;
        this.json = new RandomJson(random);
    }

    /** @param id the record's device id as a valid id would decode; any text when the key is not valid */
    Generated next(String id) {
        int roll = random.nextInt(100);
        if (roll < 5) {
            return new Generated("null value", null, Expected.HEARTBEAT);
        }
        if (roll < 8) {
            return new Generated("empty value", new byte[0], Expected.HEARTBEAT);
        }
        if (roll < 10) {
            return text("JSON null", " null\n", Expected.HEARTBEAT);
        }
        if (roll < 35) {
            return text("heartbeat", heartbeat(id, List.of()), Expected.HEARTBEAT);
        }
        if (roll < 50) {
            return wrongField(id);
        }
        if (roll < 55) {
            return text("mismatched deviceId", heartbeat(id, List.of(field("deviceId", json.quote(otherId(id))))),
                    Expected.deadLetter(Code.DEVICE_ID_MISMATCH));
        }
        if (roll < 62) {
            return text("not an object", notAnObject(), Expected.deadLetter(Code.NOT_AN_OBJECT));
        }
        if (roll < 75) {
            return brokenJson(id);
        }
        return garbage(id);
    }

    /** A valid heartbeat: optional recognised fields, random telemetry, shuffled, maybe repeated. */
    private String heartbeat(String id, List<String> extraFields) {
        List<String> fields = new ArrayList<>(extraFields);
        if (random.nextBoolean()) {
            fields.add(field("deviceType", random.nextInt(5) == 0 ? "null" : json.quote(deviceType(random.nextInt(MAX_TYPE_CHARS + 1)))));
        }
        if (random.nextBoolean()) {
            fields.add(field("group", random.nextInt(5) == 0 ? "null" : json.quote(deviceType(random.nextInt(MAX_GROUP_CHARS + 1)))));
        }
        if (random.nextBoolean()) {
            fields.add(field("timeoutMs", random.nextInt(5) == 0 ? "null" : Long.toString(positiveLong())));
        }
        if (random.nextInt(3) == 0 && extraFields.stream().noneMatch(f -> f.startsWith("\"deviceId\""))) {
            fields.add(field("deviceId", random.nextInt(5) == 0 ? "null" : json.quote(id)));
        }
        if (random.nextInt(4) == 0 && !fields.isEmpty()) {
            fields.add(fields.get(random.nextInt(fields.size()))); // a valid duplicate: the last one counts
        }
        int telemetry = random.nextInt(4);
        for (int i = 0; i < telemetry; i++) {
            String object = json.object();
            if (object.length() > 2) {
                fields.add(object.substring(1, object.length() - 1));
            }
        }
        Collections.shuffle(fields, random);
        return "{" + String.join(",", fields) + "}";
    }

    /** One recognised field with a wrong type or value; everything else is valid. */
    private Generated wrongField(String id) {
        String name;
        String value;
        switch (random.nextInt(4)) {
            case 0 -> {
                name = "deviceType";
                value = pick(json.number(), "true", "false", "{}", "[\"thermostat\"]", json.object(),
                        json.quote(deviceType(MAX_TYPE_CHARS + 1 + random.nextInt(random.nextInt(20) == 0 ? 10_000 : 10))));
            }
            case 1 -> {
                name = "timeoutMs";
                value = pick("\"600000\"", "1.5", "1e3", "600000.0", "0", "-0", "-1", Long.toString(Long.MIN_VALUE),
                        "9223372036854775808", "-" + digits(25), digits(30 + random.nextInt(300)), "true", "{}", "[1]");
            }
            case 2 -> {
                name = "group";
                value = pick(json.number(), "true", "false", "{}", "[\"site-7\"]", json.object(),
                        json.quote(deviceType(MAX_GROUP_CHARS + 1 + random.nextInt(random.nextInt(20) == 0 ? 10_000 : 10))));
            }
            default -> {
                name = "deviceId";
                value = pick(json.number(), "true", "false", "{}", "[]", "[" + json.quote(id) + "]");
            }
        }
        return text("wrong " + name, heartbeat(id, List.of(field(name, value))), Expected.deadLetter(Code.INVALID_FIELD));
    }

    private String notAnObject() {
        return switch (random.nextInt(5)) {
            case 0 -> json.string();
            case 1 -> json.number();
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "[" + json.value() + "]";
            default -> "[]";
        };
    }

    /** Text that is not JSON at all; the parser must say INVALID_JSON, whatever came before the fault. */
    private Generated brokenJson(String id) {
        String valid = heartbeat(id, List.of());
        return switch (random.nextInt(9)) {
            case 0 -> text("truncated heartbeat", valid.substring(0, cut(valid)), Expected.deadLetter(Code.INVALID_JSON));
            case 1 -> text("content after the object", valid + pick(" x", "{}", "]", " 1", ",", "null"), Expected.deadLetter(Code.INVALID_JSON));
            case 2 -> text("single quotes", "{'deviceType':'thermostat'}", Expected.deadLetter(Code.INVALID_JSON));
            case 3 -> text("unquoted name", "{deviceType:\"thermostat\"}", Expected.deadLetter(Code.INVALID_JSON));
            case 4 -> text("trailing comma", valid.length() > 2 ? valid.substring(0, valid.length() - 1) + ",}" : "{,}", Expected.deadLetter(Code.INVALID_JSON));
            case 5 -> text("comment", "{/* thermostat */}", Expected.deadLetter(Code.INVALID_JSON));
            case 6 -> text("NaN", "{\"timeoutMs\":NaN}", Expected.deadLetter(Code.INVALID_JSON));
            case 7 -> text("raw control character in deviceType", "{\"deviceType\":\"a\u0001b\"}", Expected.deadLetter(Code.INVALID_JSON));
            default -> {
                byte[] bytes = "{\"deviceType\":\"ab\"}".getBytes(StandardCharsets.UTF_8);
                bytes[15] = (byte) 0xc3; // a lead byte followed by an ASCII quote: broken UTF-8 inside a read string
                yield new Generated("invalid UTF-8 in deviceType", bytes, Expected.deadLetter(Code.INVALID_JSON));
            }
        };
    }

    /** Where to cut a valid object: anywhere inside, often just after a name's colon, where a value was due. */
    private int cut(String valid) {
        int colon = valid.indexOf("\":", random.nextInt(valid.length()));
        if (random.nextBoolean() && colon > 0) {
            return colon + 2;
        }
        return 1 + random.nextInt(valid.length() - 1);
    }

    /** Anything at all: only "heartbeat or dead letter, and nothing thrown" can be said about these. */
    private Generated garbage(String id) {
        switch (random.nextInt(8)) {
            case 0 -> {
                byte[] bytes = new byte[random.nextInt(10) == 0 ? 65_536 : 1 + random.nextInt(300)];
                random.nextBytes(bytes);
                return new Generated("random bytes", bytes, Expected.EITHER);
            }
            case 1 -> {
                return new Generated("mutated heartbeat", mutate(heartbeat(id, List.of()).getBytes(StandardCharsets.UTF_8)), Expected.EITHER);
            }
            case 2 -> {
                int depth = 500 + random.nextInt(3000); // around Jackson's nesting limit of 1000
                return text("deep nesting", "{\"t\":" + "[".repeat(depth) + "]".repeat(depth) + "}", Expected.EITHER);
            }
            case 3 -> {
                return text("huge number in telemetry", "{\"t\":" + digits(500 + random.nextInt(3000)) + "}", Expected.EITHER);
            }
            case 4 -> {
                Charset charset = pick(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE"));
                return new Generated("heartbeat in " + charset, heartbeat(id, List.of()).getBytes(charset), Expected.EITHER);
            }
            case 5 -> {
                byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
                byte[] body = heartbeat(id, List.of()).getBytes(StandardCharsets.UTF_8);
                byte[] bytes = new byte[bom.length + body.length];
                System.arraycopy(bom, 0, bytes, 0, bom.length);
                System.arraycopy(body, 0, bytes, bom.length, body.length);
                return new Generated("byte order mark", bytes, Expected.EITHER);
            }
            case 6 -> {
                int length = random.nextInt(50) == 0 ? 1 << 20 : 1 << 14;
                return text("long telemetry string", "{\"log\":\"" + "x".repeat(length) + "\"}", Expected.HEARTBEAT);
            }
            default -> {
                return text("random JSON", json.value(), Expected.EITHER);
            }
        }
    }

    /** Flips, inserts or deletes a few random bytes. */
    private byte[] mutate(byte[] bytes) {
        byte[] out = bytes.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && out.length > 0; i++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
                default -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
            }
        }
        return out;
    }

    /** A device type or group of exactly {@code chars} UTF-16 units (the parser's unit), never ending in half a pair. */
    private String deviceType(int chars) {
        String text = json.text(chars);
        text = text.substring(0, Math.min(chars, text.length()));
        if (!text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            text = text.substring(0, text.length() - 1) + "x";
        }
        return text;
    }

    private String otherId(String id) {
        return switch (random.nextInt(4)) {
            case 0 -> id + "x";
            case 1 -> "";
            case 2 -> id.toUpperCase(java.util.Locale.ROOT).equals(id) ? id + " " : id.toUpperCase(java.util.Locale.ROOT);
            default -> " " + id;
        };
    }

    private long positiveLong() {
        return random.nextBoolean() ? 1 + random.nextInt(3_600_000) : 1 + (random.nextLong() & Long.MAX_VALUE - 1);
    }

    private String digits(int count) {
        StringBuilder out = new StringBuilder(count).append((char) ('1' + random.nextInt(9)));
        for (int i = 1; i < count; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String field(String name, String jsonValue) {
        return "\"" + name + "\":" + jsonValue;
    }

    private static Generated text(String kind, String text, Expected expected) {
        return new Generated(kind, text.getBytes(StandardCharsets.UTF_8), expected);
    }
}
