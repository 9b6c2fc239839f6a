package dev.etlprofiler.frameworks.flink;

import java.util.Arrays;

/**
 * Main class of the child JVMs: runs the main of the class named by the first argument with the
 * others. The job's classes are compiled in app-1.20 and app-2.1, not on this module's class path.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
