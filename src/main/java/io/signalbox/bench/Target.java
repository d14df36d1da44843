package io.signalbox.bench;

import io.signalbox.server.auth.ApiCredentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * The server a run drives.
 *
 * @param uri         its base URL, {@code http://HOST:PORT}
 * @param credentials the API key and secret its tokens are signed with
 * @param serverPid   its process id, for CPU and memory figures; -1 when unknown
 * @param gcLog       its JVM's GC log ({@link GcPauses}), when the bench started it; else null
 */
record Target(URI uri, ApiCredentials credentials, long serverPid, Path gcLog) {

    /** A server the bench did not start: its GC log is not known. */
    Target(URI uri, ApiCredentials credentials, long serverPid) {
        this(uri, credentials, serverPid, null);
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /** The path of the WebSocket endpoint, below any path in the base URL. */
    String webSocketPath() {
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return path + "/ws";
    }
}
