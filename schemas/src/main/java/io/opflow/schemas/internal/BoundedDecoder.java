package io.opflow.schemas.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder that refuses lengths and item counts larger than the input itself.
 *
 * <p>Why: Avro allocates a string, bytes or collection of the length the input announces before
 * reading it, so a few hostile bytes can ask for gigabytes. Its global limits ({@code
 * org.apache.avro.limits.*} system properties) are read once per JVM and default to about 2 GiB.
 * Here no string, bytes or block count may exceed the bytes of the record, which bounds memory by
 * the record's size whatever the JVM's settings. Every item of Opflow's collections takes at least
 * one byte, so no valid record is refused.
 */
final class BoundedDecoder extends Decoder {

  private final BinaryDecoder in;
  private final long maxLength;

  BoundedDecoder(BinaryDecoder in, long maxLength) {
    this.in = in;
    this.maxLength = maxLength;
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    return new Utf8(readLengthPrefixed("string"));
  }

  @Override
  public String readString() throws IOException {
    return new String(readLengthPrefixed("string"), StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(checkedLength(in.readLong(), "string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    return ByteBuffer.wrap(readLengthPrefixed("bytes"));
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(checkedLength(in.readLong(), "bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(in.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(in.arrayNext());
  }

  @Override
  public long skipArray() throws IOException {
    return checkedCount(in.skipArray());
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(in.mapNext());
  }

  @Override
  public long skipMap() throws IOException {
    return checkedCount(in.skipMap());
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }

  /** Returns true when every byte of the input was consumed. */
  boolean isEnd() throws IOException {
    return in.isEnd();
  }

  private byte[] readLengthPrefixed(String what) throws IOException {
    byte[] bytes = new byte[checkedLength(in.readLong(), what)];
    in.readFixed(bytes);
    return bytes;
  }

  private int checkedLength(long length, String what) throws IOException {
    if (length < 0 || length > maxLength) {
      throw new EOFException(
          "a " + what + " claims " + length + " bytes but the record has only " + maxLength);
    }
    return (int) length;
  }

  private long checkedCount(long count) throws IOException {
    if (count < 0 || count > maxLength) {
      throw new EOFException(
          "a collection claims "
              + count
              + " items but the record has only "
              + maxLength
              + " bytes");
    }
    return count;
  }
}
