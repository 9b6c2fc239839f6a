package dev.etlprofiler.agent.instrument.weave;

import dev.etlprofiler.core.AgentLog;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * The supertypes of classes being transformed, read from the class files their loader can find
 * (never by loading a class: a transformer must not), cached per loader.
 */
public final class Supertypes {
  private final Map<ClassLoader, Map<String, Set<String>>> byLoader =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** A class's own name and every superclass and interface above it (internal names). */
  public Set<String> of(ClassLoader loader, String name, String superName, String[] interfaces) {
    Map<String, Set<String>> cache = cache(loader);
    Set<String> all = new HashSet<>();
    all.add(name);
    if (superName != null) all.addAll(resolve(loader, superName, cache, 0));
    for (String i : interfaces) all.addAll(resolve(loader, i, cache, 0));
    return all;
  }

  /** A class's own name and its supertypes, from its class file alone. */
  public Set<String> ofName(ClassLoader loader, String name) {
    return resolve(loader, name, cache(loader), 0);
  }

  private Map<String, Set<String>> cache(ClassLoader loader) {
    synchronized (byLoader) {
      Map<String, Set<String>> cache = byLoader.get(loader);
      if (cache == null) {
        cache = new ConcurrentHashMap<>();
        byLoader.put(loader, cache);
      }
      return cache;
    }
  }

  private Set<String> resolve(
      ClassLoader loader, String name, Map<String, Set<String>> cache, int depth) {
    Set<String> known = cache.get(name);
    if (known != null) {
      return known;
    }
    Set<String> all = new HashSet<>();
    all.add(name);
    // a javax.* class may be the application's (javax.servlet, javax.ws.rs): if the platform
    // loader does not know it, its class file is read through the application's loader
    boolean jdk = jdkType(name) && (addJdkSupertypes(name, all) || name.startsWith("java/"));
    if (!jdk && !name.equals("java/lang/Object") && depth < 64) {
      try (InputStream in = loader.getResourceAsStream(name + ".class")) {
        if (in != null) {
          ClassReader r = new ClassReader(in.readAllBytes());
          if (r.getSuperName() != null)
            all.addAll(resolve(loader, r.getSuperName(), cache, depth + 1));
          for (String i : r.getInterfaces()) all.addAll(resolve(loader, i, cache, depth + 1));
        }
      } catch (Exception e) {
        AgentLog.debug("could not read the supertypes of " + name + ": " + e);
      }
    }
    Set<String> result = Set.copyOf(all);
    cache.put(name, result);
    return result;
  }

  private static boolean jdkType(String name) {
    return name.startsWith("java/")
        || name.startsWith("javax/")
        || name.startsWith("jdk/")
        || name.startsWith("sun/")
        || name.startsWith("com/sun/");
  }

  /**
   * A JDK type's supertypes from its class, loaded (not initialised) by the platform loader or the
   * boot loader above it, never by an application loader: reading its class file as a resource went
   * through the jrt: URL handler, which the profile of the example job showed as a third of the
   * time spent weaving its JDBC driver (the handler's first use, then one image lookup per type). A
   * JDK type the platform loader cannot see is left with no supertypes, as an unreadable class file
   * was before.
   */
  private static boolean addJdkSupertypes(String name, Set<String> all) {
    try {
      Class<?> c =
          Class.forName(name.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      addAll(c, all);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      AgentLog.debug("not a JDK type, or unreadable: " + name + ": " + e);
      return false;
    }
  }

  private static void addAll(Class<?> c, Set<String> all) {
    for (Class<?> t = c; t != null; t = t.getSuperclass()) {
      if (!all.add(t.getName().replace('.', '/')) && t != c) {
        break; // the rest is already there
      }
      for (Class<?> i : t.getInterfaces()) {
        addAll(i, all);
      }
    }
  }
}
