package io.signalbox.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The WebSocket handshake (RFC 6455, section 4.2) at one path, in front of the rest of the server:
 * answers 101 and hands the socket to a new {@link Link} once the answer is written. Jetty's HTTP
 * connection, its parser and the request are let go then: a WebSocket keeps nothing of its upgrade.
 * No extension is agreed (no compression: signals are small, and a frame is written to many
 * receivers as it is) and no subprotocol; every other request goes on to the server's other handlers.
 */
final class WebSocketUpgrade extends Handler.Wrapper {
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String path;
    private final SignalingEndpoint endpoint;

    WebSocketUpgrade(String path, SignalingEndpoint endpoint) {
        this.path = path;
        this.endpoint = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!path.equals(request.getHttpURI().getPath())) return super.handle(request, response, callback);
        HttpFields headers = request.getHeaders();
        String key = headers.get(HttpHeader.SEC_WEBSOCKET_KEY);
        ConnectionMetaData connection = request.getConnectionMetaData();
        if (!HttpMethod.GET.is(request.getMethod()) || !HttpVersion.HTTP_1_1.equals(connection.getHttpVersion())
                || !headers.contains(HttpHeader.UPGRADE, "websocket") || !headers.contains(HttpHeader.CONNECTION, "upgrade")
                || key == null || key.isBlank()) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                    "this is a WebSocket endpoint: send an HTTP/1.1 GET with 'Upgrade: websocket' and a Sec-WebSocket-Key");
            return true;
        }
        if (!"13".equals(headers.get(HttpHeader.SEC_WEBSOCKET_VERSION))) {
            response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
            Response.writeError(request, response, callback, HttpStatus.UPGRADE_REQUIRED_426,
                    "this server speaks WebSocket version 13 only");
            return true;
        }
        Link link = endpoint.newLink(connection.getConnection().getEndPoint(), connection.getConnector());
        response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
        response.getHeaders()
                .put(HttpHeader.UPGRADE, "websocket")
                .put(HttpHeader.CONNECTION, "Upgrade")
                .put(HttpHeader.SEC_WEBSOCKET_ACCEPT, accept(key));
        // Jetty's HTTP connection hands the socket over once the response is written.
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, link);
        response.write(true, null, callback);
        return true;
    }

    /** The Sec-WebSocket-Accept answer to a Sec-WebSocket-Key. */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
