package dev.etlprofiler.agent.instrument.client;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.etlprofiler.core.AgentLog;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/** The ByteBuddy half of client instrumentation: which methods get which advice. */
final class ClientWeaver {
  private final ByteBuddy byteBuddy =
      new ByteBuddy()
          .with(TypeValidation.DISABLED)
          .with(Implementation.Context.Disabled.Factory.INSTANCE)
          .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);

  byte[] weaveHttp(ClassLoader loader, String name, byte[] bytes) {
    if (name.equals(ClientTransformer.HTTP_CLIENT.replace('/', '.'))) {
      return weave(
          loader,
          name,
          bytes,
          new AsmVisitorWrapper.Compound(
              Advice.to(HttpClientAdvice.class)
                  .on(named("send").and(takesArguments(2)).and(not(isAbstract()))),
              Advice.to(HttpClientAdvice.class, HttpClientAsyncAdvice.class)
                  .on(named("sendAsync").and(not(isAbstract())))));
    }
    if (name.startsWith("org.apache.hc.client5.http.impl.async.")) {
      return weave(
          loader,
          name,
          bytes,
          described("ApacheAsyncAdvice", loader)
              .on(named("execute").and(takesArguments(5)).and(not(isAbstract()))));
    }
    if (name.startsWith("org.apache.hc.client5.")) {
      return weave(
          loader,
          name,
          bytes,
          described("ApacheClassicAdvice", loader)
              .on(named("doExecute").and(takesArguments(3)).and(not(isAbstract()))));
    }
    if (name.startsWith("org.apache.http.")) {
      return weave(
          loader,
          name,
          bytes,
          described("Apache4Advice", loader)
              .on(named("doExecute").and(takesArguments(3)).and(not(isAbstract()))));
    }
    if (name.startsWith("okhttp3.")) {
      return weave(
          loader,
          name,
          bytes,
          new AsmVisitorWrapper.Compound(
              described("OkHttpAdvice", loader)
                  .on(named("execute").and(takesArguments(0)).and(not(isAbstract()))),
              described("OkHttpAdvice$Enqueue", loader)
                  .on(named("enqueue").and(takesArguments(1)).and(not(isAbstract())))));
    }
    return weave(
        loader,
        name,
        bytes,
        Advice.to(UrlConnectionAdvice.class)
            .on(named("getInputStream").and(takesArguments(0)).and(not(isAbstract()))));
  }

  byte[] weaveKafka(ClassLoader loader, String name, byte[] bytes) {
    AsmVisitorWrapper advice;
    if (name.equals(ClientTransformer.KAFKA_PRODUCER.replace('/', '.'))) {
      advice =
          described("KafkaProducerAdvice", loader)
              .on(
                  named("send")
                      .and(takesArguments(2))
                      .and(
                          takesArgument(
                              0, named("org.apache.kafka.clients.producer.ProducerRecord")))
                      .and(takesArgument(1, named("org.apache.kafka.clients.producer.Callback")))
                      .and(not(isAbstract())));
    } else {
      advice =
          new AsmVisitorWrapper.Compound(
              described("KafkaConsumerAdvice$Poll", loader)
                  .on(isPublic().and(named("poll")).and(takesArguments(1)).and(not(isAbstract()))),
              described("KafkaConsumerAdvice$Commit", loader)
                  .on(isPublic().and(named("commitSync")).and(not(isAbstract()))));
    }
    return weave(loader, name, bytes, advice);
  }

  byte[] weaveJdbc(ClassLoader loader, String name, byte[] bytes) {
    TypePool pool = pool(loader, name, bytes);
    TypeDescription type = pool.describe(name).resolve();
    if (type.isInterface()) {
      return null;
    }
    ElementMatcher.Junction<MethodDescription> concrete = isPublic().and(not(isAbstract()));
    AsmVisitorWrapper visitor = null;
    if (hasSuperType(named("java.sql.Statement")).matches(type)) {
      visitor =
          new AsmVisitorWrapper.Compound(
              Advice.to(JdbcAdvice.ExecuteSql.class, JdbcAdvice.RowsExit.class)
                  .on(
                      concrete
                          .and(
                              namedOneOf(
                                  "execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                          .and(takesArgument(0, String.class))),
              Advice.to(JdbcAdvice.ExecutePrepared.class, JdbcAdvice.RowsExit.class)
                  .on(
                      concrete
                          .and(
                              namedOneOf(
                                  "execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                          .and(takesArguments(0))),
              Advice.to(JdbcAdvice.ExecuteBatch.class)
                  .on(
                      concrete
                          .and(namedOneOf("executeBatch", "executeLargeBatch"))
                          .and(takesArguments(0))));
    } else if (hasSuperType(named("java.sql.Connection")).matches(type)) {
      visitor =
          new AsmVisitorWrapper.Compound(
              Advice.to(JdbcAdvice.Prepare.class)
                  .on(
                      concrete
                          .and(namedOneOf("prepareStatement", "prepareCall"))
                          .and(takesArgument(0, String.class))
                          .and(returns(hasSuperType(named("java.sql.Statement"))))),
              Advice.to(JdbcAdvice.Commit.class)
                  .on(concrete.and(named("commit")).and(takesArguments(0))));
    }
    if (visitor == null) {
      return null;
    }
    byte[] out =
        byteBuddy.decorate(type, locator(loader, name, bytes)).visit(visitor).make(pool).getBytes();
    AgentLog.debug("instrumented JDBC class " + name);
    return out;
  }

  /**
   * Advice that refers to a client library's types, described from the agent's and the
   * application's class files instead of loaded (the agent's class loader cannot see the library).
   */
  private static Advice described(String simpleName, ClassLoader loader) {
    ClassFileLocator files =
        new ClassFileLocator.Compound(
            ClassFileLocator.ForClassLoader.of(ClientWeaver.class.getClassLoader()),
            ClassFileLocator.ForClassLoader.of(loader));
    TypeDescription advice =
        TypePool.Default.of(files)
            .describe("dev.etlprofiler.agent.instrument.client." + simpleName)
            .resolve();
    return Advice.to(advice, files);
  }

  private byte[] weave(ClassLoader loader, String name, byte[] bytes, AsmVisitorWrapper advice) {
    TypePool pool = pool(loader, name, bytes);
    TypeDescription type = pool.describe(name).resolve();
    byte[] out =
        byteBuddy.decorate(type, locator(loader, name, bytes)).visit(advice).make(pool).getBytes();
    AgentLog.debug("instrumented client class " + name);
    return out;
  }

  private static ClassFileLocator locator(ClassLoader loader, String name, byte[] bytes) {
    return new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(name, bytes),
        loader == null
            ? ClassFileLocator.ForClassLoader.ofBootLoader()
            : ClassFileLocator.ForClassLoader.of(loader));
  }

  private static TypePool pool(ClassLoader loader, String name, byte[] bytes) {
    return TypePool.Default.WithLazyResolution.of(locator(loader, name, bytes));
  }
}
