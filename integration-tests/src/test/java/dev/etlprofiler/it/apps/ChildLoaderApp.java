package dev.etlprofiler.it.apps;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads agent-api and {@link ApiApp} in a child class loader whose parent is the platform loader
 * (as a fat-jar launcher or framework would), then runs ApiApp there. args: api jar, test classes.
 */
public class ChildLoaderApp {
  public static void main(String[] args) throws Exception {
    URL[] urls = {Path.of(args[0]).toUri().toURL(), Path.of(args[1]).toUri().toURL()};
    try (URLClassLoader child =
        new URLClassLoader("job", urls, ClassLoader.getPlatformClassLoader())) {
      Class<?> app = Class.forName(ApiApp.class.getName(), true, child);
      System.out.println("loader=" + app.getClassLoader().getName());
      app.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    }
  }
}
