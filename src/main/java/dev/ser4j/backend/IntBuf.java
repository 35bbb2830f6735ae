package dev.ser4j.backend;

/** An int32 buffer owned by a {@link Backend}; see {@link FloatBuf}. */
public interface IntBuf {
    long length();

    IntBuf slice(long offset, long length);
}
