package io.signalbox.chaos;

/**
 * What a chaos signal carries in its data, so that a receiver can tell exactly which send it is:
 * {@code s3#1042#r} is the 1042nd signal of client 3, sent with retry after reconnect on ({@code r})
 * or off ({@code n}). The soak run tags its signals the same way.
 *
 * @param sender  the sending client's index, from 0
 * @param counter the send's number among its sender's sends, from 1
 * @param retry   whether it was sent with {@code retryAfterReconnect}
 */
public record SignalTag(int sender, long counter, boolean retry) {

    public SignalTag {
        if (sender < 0) throw new IllegalArgumentException("sender must not be negative: " + sender);
        if (counter < 1) throw new IllegalArgumentException("counter must be positive: " + counter);
    }

    /** The signal data for this tag. */
    public String data() {
        return "s" + sender + "#" + counter + "#" + (retry ? "r" : "n");
    }

    /** The tag in a signal's data, or null when the data is not one. */
    public static SignalTag parse(String data) {
        if (data == null || !data.startsWith("s")) return null;
        String[] parts = data.substring(1).split("#", -1);
        if (parts.length != 3) return null;
        boolean retry;
        switch (parts[2]) {
            case "r" -> retry = true;
            case "n" -> retry = false;
            default -> {
                return null;
            }
        }
        try {
            int sender = Integer.parseInt(parts[0]);
            long counter = Long.parseLong(parts[1]);
            return sender < 0 || counter < 1 ? null : new SignalTag(sender, counter, retry);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return data();
    }
}
