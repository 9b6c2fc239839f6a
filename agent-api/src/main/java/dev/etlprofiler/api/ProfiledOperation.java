package dev.etlprofiler.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a profiled operation. With the agent attached, every call is timed and counted
 * (calls, errors by type, latency histogram) under the operation's name. Without the agent the
 * annotation does nothing.
 *
 * <p>The name defaults to {@code SimpleClassName.method}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProfiledOperation {
  /** The operation's name; empty means {@code SimpleClassName.method}. */
  String value() default "";
}
