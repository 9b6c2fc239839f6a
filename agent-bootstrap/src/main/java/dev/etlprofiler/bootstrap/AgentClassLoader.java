package dev.etlprofiler.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's implementation and its dependencies from the {@code inst/} folder of the agent
 * jar, where every class is stored as {@code .classdata} so that no other class loader can find it.
 * Its parent is the platform class loader: the agent sees the JDK and the bootstrap recording core,
 * never the application's classes, and the application never sees the agent's ByteBuddy, Jackson,
 * OSHI or JNA.
 */
final class AgentClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final String PREFIX = "inst/";

  /** The nested jar of the dependencies not needed at start-up (see the agent module's pom). */
  private static final String LIB = PREFIX + "lib.jar";

  private final JarFile jar;

  /** {@link #LIB} extracted to a private temporary file, opened at first need; null until then. */
  private volatile JarFile lib;

  private volatile String libUrl;
  private boolean libFailed;
  private final String jarUrl;
  private final ProtectionDomain domain;

  AgentClassLoader(File file, JarFile jar) throws MalformedURLException {
    super("etl-profiler-agent", ClassLoader.getPlatformClassLoader());
    this.jar = jar;
    URL url = file.toURI().toURL();
    this.jarUrl = "jar:" + url + "!/";
    this.domain = new ProtectionDomain(new CodeSource(url, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    String path = name.replace('.', '/') + ".classdata";
    JarFile from = jar;
    JarEntry entry = jar.getJarEntry(PREFIX + path);
    if (entry == null) {
      from = lib();
      entry = from == null ? null : from.getJarEntry(path);
    }
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = from.getInputStream(entry)) {
      bytes = readAll(in);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    int lastDot = name.lastIndexOf('.');
    if (lastDot > 0) {
      String pkg = name.substring(0, lastDot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException raced) {
          // defined by another thread meanwhile
        }
      }
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  @Override
  protected URL findResource(String name) {
    String entryName = entryName(name);
    try {
      if (jar.getJarEntry(entryName) != null) {
        return new URL(jarUrl + entryName);
      }
      JarFile l = lib();
      String inLib = entryName.substring(PREFIX.length());
      return l != null && l.getJarEntry(inLib) != null ? new URL(libUrl + inLib) : null;
    } catch (MalformedURLException e) {
      return null;
    }
  }

  /**
   * The nested jar, extracted once to a temporary file that only this user can read and that is
   * deleted at exit (a shared, predictable path could be planted by another user). Null, with one
   * line on stderr, if it cannot be extracted: the features built on those libraries then report
   * their failure and the job runs on.
   */
  private JarFile lib() {
    JarFile l = lib;
    if (l != null) {
      return l;
    }
    synchronized (this) {
      if (lib != null || libFailed) {
        return lib;
      }
      try {
        JarEntry entry = jar.getJarEntry(LIB);
        if (entry == null) {
          libFailed = true;
          return null;
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("etl-profiler-lib-", ".jar");
        file.toFile().deleteOnExit();
        try (InputStream in = jar.getInputStream(entry)) {
          java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        lib = new JarFile(file.toFile(), false);
        libUrl = "jar:" + file.toUri().toURL() + "!/";
        return lib;
      } catch (IOException | RuntimeException e) {
        libFailed = true;
        System.err.println(
            "[etl-profiler] cannot extract the agent's libraries ("
                + e
                + "); features that need ByteBuddy, Jackson or OSHI are off");
        return null;
      }
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null
        ? Collections.emptyEnumeration()
        : Collections.enumeration(java.util.List.of(url));
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    // read straight from the open jar: no URL connection and no jar cache involved
    String entryName = entryName(name);
    JarEntry entry = jar.getJarEntry(entryName);
    try {
      if (entry != null) {
        return jar.getInputStream(entry);
      }
      JarFile l = lib();
      JarEntry inLib = l == null ? null : l.getJarEntry(entryName.substring(PREFIX.length()));
      if (inLib != null) {
        return l.getInputStream(inLib);
      }
    } catch (IOException e) {
      return null;
    }
    return super.getResourceAsStream(name);
  }

  /** Class files are stored renamed to {@code .classdata}; ByteBuddy reads advice through here. */
  private static String entryName(String name) {
    String n = name.startsWith("/") ? name.substring(1) : name;
    if (n.endsWith(".class")) {
      n = n.substring(0, n.length() - ".class".length()) + ".classdata";
    }
    return PREFIX + n;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
