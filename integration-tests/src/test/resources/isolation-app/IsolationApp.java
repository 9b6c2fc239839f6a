package isolation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that brings its own old Jackson, ByteBuddy and JNA. Prints which versions it got
 * and uses each, so the test can see it works with the agent attached.
 */
public class IsolationApp {
  @dev.etlprofiler.api.ProfiledOperation("isolation.work")
  static String work() throws Exception {
    String json = new ObjectMapper().writeValueAsString(Map.of("a", 1));
    Class<?> made = new ByteBuddy(ClassFileVersion.JAVA_V11)
        .subclass(Object.class)
        .name("generated.Hello")
        .method(ElementMatchers.named("toString"))
        .intercept(FixedValue.value("hello from bytebuddy"))
        .make()
        .load(IsolationApp.class.getClassLoader())
        .getLoaded();
    Object hello = made.getDeclaredConstructor().newInstance();
    long pointerSize = com.sun.jna.Native.POINTER_SIZE;
    return json + " " + hello + " pointer=" + pointerSize;
  }

  public static void main(String[] args) throws Exception {
    System.out.println("jackson=" + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
    System.out.println("bytebuddy=" + jarOf(ByteBuddy.class));
    System.out.println("jna=" + jarOf(com.sun.jna.Native.class));
    System.out.println(work());
  }

  private static String jarOf(Class<?> c) {
    String path = c.getProtectionDomain().getCodeSource().getLocation().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
