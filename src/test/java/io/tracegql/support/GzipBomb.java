package io.tracegql.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A valid gzip stream that inflates to {@code inflatedSize} zero bytes (a multiple of a mebibyte),
 * made as it is read: one deflated mebibyte of zeros, repeated. Its compressed size is about a
 * thousandth of what it inflates to, and reading it costs no more memory than one segment.
 */
public final class GzipBomb extends InputStream {

    private static final int SEGMENT = 1 << 20;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** A last, empty block with fixed codes: BFINAL=1, BTYPE=01, end of block. */
    private static final byte[] LAST_BLOCK = {0x03, 0x00};

    private static final byte[] ZEROS = new byte[SEGMENT];
    private static final byte[] DEFLATED_SEGMENT = deflatedSegment();

    private final long segments;
    private final CRC32 crc = new CRC32();
    private long segmentsRead;
    private byte[] current = HEADER;
    private int at;
    private boolean trailerDone;

    public GzipBomb(long inflatedSize) {
        if (inflatedSize % SEGMENT != 0) {
            throw new IllegalArgumentException("the inflated size must be a multiple of " + SEGMENT);
        }
        this.segments = inflatedSize / SEGMENT;
    }

    /** The bytes this stream sends. */
    public long compressedSize() {
        return HEADER.length + segments * DEFLATED_SEGMENT.length + LAST_BLOCK.length + 8;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (at == current.length) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(length, current.length - at);
        System.arraycopy(current, at, buffer, offset, n);
        at += n;
        return n;
    }

    private boolean advance() {
        at = 0;
        if (segmentsRead < segments) {
            segmentsRead++;
            // The checksum of the inflated bytes is kept as they are sent, so a reader that stops
            // early costs the sender nothing more.
            crc.update(ZEROS);
            current = DEFLATED_SEGMENT;
            return true;
        }
        if (trailerDone) {
            return false;
        }
        trailerDone = true;
        long size = segments * SEGMENT;
        long sum = crc.getValue();
        byte[] end = new byte[LAST_BLOCK.length + 8];
        System.arraycopy(LAST_BLOCK, 0, end, 0, LAST_BLOCK.length);
        for (int i = 0; i < 4; i++) {
            end[LAST_BLOCK.length + i] = (byte) (sum >>> (8 * i));
            end[LAST_BLOCK.length + 4 + i] = (byte) (size >>> (8 * i));
        }
        current = end;
        return true;
    }

    /** A mebibyte of zeros as non-final deflate blocks that end on a byte and refer to nothing before. */
    private static byte[] deflatedSegment() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(ZEROS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        deflater.end();
        return out.toByteArray();
    }
}
