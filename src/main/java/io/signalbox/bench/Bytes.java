package io.signalbox.bench;

/** A growable byte array to put a frame together in, without a String on the way; one thread only. */
final class Bytes {
    /** The bytes; replaced by a bigger array when full. */
    private byte[] array;
    /** How many bytes are in use. */
    private int length;

    Bytes(int capacity) {
        this.array = new byte[capacity];
    }

    Bytes clear() {
        length = 0;
        return this;
    }

    Bytes put(byte[] bytes) {
        return put(bytes, 0, bytes.length);
    }

    Bytes put(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, array, length, len);
        length += len;
        return this;
    }

    Bytes put(byte b) {
        ensure(1);
        array[length++] = b;
        return this;
    }

    /** Appends a non-negative number in decimal. */
    Bytes putLong(long n) {
        if (n < 0) throw new IllegalArgumentException("negative: " + n);
        int digits = 1;
        for (long v = n; v >= 10; v /= 10) digits++;
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            array[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        length += digits;
        return this;
    }

    byte[] array() {
        return array;
    }

    int length() {
        return length;
    }

    private void ensure(int more) {
        if (length + more > array.length) array = java.util.Arrays.copyOf(array, Math.max(array.length * 2, length + more));
    }
}
