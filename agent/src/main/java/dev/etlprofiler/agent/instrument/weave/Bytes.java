package dev.etlprofiler.agent.instrument.weave;

import java.nio.charset.StandardCharsets;

/** Byte searches in class files: the transformers' cheap pre-filters. */
public final class Bytes {
  private Bytes() {}

  /** The JVM type descriptor of a class name, as it appears in a class file's constant pool. */
  public static byte[] descriptor(String className) {
    return ("L" + className.replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static boolean contains(byte[] haystack, byte[] needle) {
    byte first = needle[0];
    int last = haystack.length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) continue;
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
