package io.offlinedetector.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange written byte for byte on its own connection, for requests that
 * {@link java.net.http.HttpClient} refuses to send: malformed targets, odd methods, lying headers.
 * The answer is read by its {@code Content-Length}, not to the end of the stream, so a test can
 * leave a declared body unsent and still read the answer.
 */
final class RawHttp {

    /** An answer; {@code status} is -1 when the server closed the connection without one. */
    record Answer(int status, Map<String, String> headers, String body) {

        static final Answer NONE = new Answer(-1, Map.of(), "");

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        boolean isJson() {
            return header("Content-Type").startsWith("application/json");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private final int port;
    private final Duration timeout;

    RawHttp(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    /** Sends the request, half-closes the connection (nothing more will come) and reads the answer. */
    Answer send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * @param halfClose whether to signal the end of the request; false leaves the server waiting
     *                  for whatever body the headers declared
     * @throws SocketTimeoutException when no answer came within the timeout
     */
    Answer send(byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            boolean head = new String(request, 0, Math.min(request.length, 5), StandardCharsets.ISO_8859_1).startsWith("HEAD ");
            Answer answer = readAnswer(in, head);
            while (answer.status() >= 100 && answer.status() < 200) { // 100 Continue precedes the real answer
                answer = readAnswer(in, head);
            }
            return answer;
        }
    }

    private static Answer readAnswer(InputStream in, boolean head) throws IOException {
        String headText = readHead(in);
        if (headText == null) {
            return Answer.NONE;
        }
        String[] lines = headText.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String length = headers.get("content-length");
        byte[] body = head || status < 200 || length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** The status line and headers, or null when the stream ended before any byte of them. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException e) {
                b = -1; // reset by the server: nothing more to read
            }
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside the answer's head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
