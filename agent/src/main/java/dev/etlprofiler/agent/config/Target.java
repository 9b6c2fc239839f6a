package dev.etlprofiler.agent.config;

import java.util.List;

/**
 * One entry of {@code instrument.targets}: which types and which of their methods to profile. A
 * type matches when it meets every criterion that is given (a list within one criterion is any of);
 * at least one type criterion is required. With no {@code methods}, every public method the type
 * declares is profiled.
 */
public record Target(
    List<String> classes,
    List<String> packages,
    List<String> subtypesOf,
    List<String> annotatedWith,
    List<String> methods,
    List<String> excludeMethods) {

  public Target {
    classes = List.copyOf(classes);
    packages = List.copyOf(packages);
    subtypesOf = List.copyOf(subtypesOf);
    annotatedWith = List.copyOf(annotatedWith);
    methods = List.copyOf(methods);
    excludeMethods = List.copyOf(excludeMethods);
  }

  public boolean selectsTypes() {
    return !classes.isEmpty()
        || !packages.isEmpty()
        || !subtypesOf.isEmpty()
        || !annotatedWith.isEmpty();
  }
}
