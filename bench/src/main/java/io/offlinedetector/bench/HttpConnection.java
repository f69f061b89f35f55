package io.offlinedetector.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection to one instance, on a plain socket: the query load measures
 * the server, not a client library's threads and futures on the same two cores. Reconnects after
 * a failure. Not thread-safe: one per client thread.
 */
final class HttpConnection implements AutoCloseable {

    /** An answer: the status (-1 when the request failed), the {@code X-Served-By} header, the body. */
    record Answer(int status, String servedBy, String body) {
        boolean ok() {
            return status == 200;
        }
    }

    private final URI base;
    private final int timeoutMillis;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    HttpConnection(String baseUrl, Duration timeout) {
        this.base = URI.create(baseUrl);
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** {@code GET path}; a failure (refused, timed out, closed) is status -1, and the next call reconnects. */
    Answer get(String path) {
        try {
            if (socket == null) {
                connect();
            }
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read();
        } catch (IOException | RuntimeException e) {
            close();
            return new Answer(-1, null, String.valueOf(e.getMessage()));
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    private Answer read() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        int length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        String servedBy = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                case "x-served-by" -> servedBy = value;
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                default -> { }
            }
        }
        byte[] body = chunked ? chunks() : bytes(Math.max(0, length));
        if (closeAfter) {
            close();
        }
        return new Answer(status, servedBy, new String(body, StandardCharsets.UTF_8));
    }

    /** A body sent in chunks (Jetty's way with a body larger than its buffer): each a hex size line, the bytes, CRLF. */
    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = chunkSize(line()); size > 0; size = chunkSize(line())) {
            body.writeBytes(bytes(size));
            line();
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers carry nothing the bench reads
        }
        return body.toByteArray();
    }

    private static int chunkSize(String line) {
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private byte[] bytes(int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed in the body");
        }
        return body;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection
            }
            socket = null;
        }
    }
}
