package io.offlinedetector.topology;

import java.time.Instant;
import java.time.LocalDate;

/**
 * ISO-8601 UTC times of the status events, {@code 2026-11-21T20:10:00.412Z}, exactly as
 * {@link Instant#toString()} writes a millisecond instant (no fraction when it is zero), and read
 * back as {@link Instant#parse} would. Instant's own formatter and parser are general, and cost
 * the detector's stream thread about 5 % of its time (JFR: three times per event) and the live
 * feed several KB of garbage per event; these handle the one shape the events use by hand and
 * hand anything else to Instant.
 */
final class IsoTimes {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int WHOLE_SECOND_LENGTH = "2026-11-21T20:10:00Z".length();
    private static final int MILLISECOND_LENGTH = "2026-11-21T20:10:00.412Z".length();

    private IsoTimes() {}

    static String format(long epochMillis) {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        if (date.getYear() < 1000 || date.getYear() > 9999) {
            return Instant.ofEpochMilli(epochMillis).toString(); // other widths and signs
        }
        int millis = millisOfDay % 1000;
        int seconds = millisOfDay / 1000;
        char[] text = new char[millis == 0 ? WHOLE_SECOND_LENGTH : MILLISECOND_LENGTH];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, seconds / 3600, 2);
        text[13] = ':';
        digits(text, 14, seconds / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, seconds % 60, 2);
        if (millis != 0) {
            text[19] = '.';
            digits(text, 20, millis, 3);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    static long parse(String text) {
        int length = text.length();
        if ((length != WHOLE_SECOND_LENGTH && length != MILLISECOND_LENGTH) || !hasShape(text)) {
            return Instant.parse(text).toEpochMilli();
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int millis = length == MILLISECOND_LENGTH ? number(text, 20, 3) : 0;
        if (month < 1 || month > 12 || day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()
                || hour > 23 || minute > 59 || second > 59) {
            return Instant.parse(text).toEpochMilli(); // its error for an invalid date or time
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return epochDay * MILLIS_PER_DAY + ((hour * 60L + minute) * 60 + second) * 1000 + millis;
    }

    /** {@code dddd-dd-ddTdd:dd:dd} then {@code Z} or {@code .dddZ}. */
    private static boolean hasShape(String text) {
        String shape = text.length() == WHOLE_SECOND_LENGTH ? "dddd-dd-ddTdd:dd:ddZ" : "dddd-dd-ddTdd:dd:dd.dddZ";
        for (int i = 0; i < shape.length(); i++) {
            char expected = shape.charAt(i);
            char c = text.charAt(i);
            if (expected == 'd' ? c < '0' || c > '9' : c != expected) {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int width) {
        int value = 0;
        for (int i = from; i < from + width; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
