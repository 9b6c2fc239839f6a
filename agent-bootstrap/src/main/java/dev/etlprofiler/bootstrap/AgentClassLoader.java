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
 * Loads the agent's implementation and its dependencies from the {@code inst/} folder of the
 * agent jar, where every class is stored as {@code .classdata} so that no other class loader can
 * find it. Its parent is the platform class loader: the agent sees the JDK and the bootstrap
 * recording core, never the application's classes, and the application never sees the agent's
 * ByteBuddy, Jackson, OSHI or JNA.
 */
final class AgentClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final String PREFIX = "inst/";
  private final JarFile jar;
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
    String path = name.replace('.', '/');
    JarEntry entry = jar.getJarEntry(PREFIX + path + ".classdata");
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
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
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entryName);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(url));
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    // read straight from the open jar: no URL connection and no jar cache involved
    JarEntry entry = jar.getJarEntry(entryName(name));
    if (entry != null) {
      try {
        return jar.getInputStream(entry);
      } catch (IOException e) {
        return null;
      }
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
