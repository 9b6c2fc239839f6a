package dev.etlprofiler.agent.instrument.http;

import dev.etlprofiler.agent.instrument.weave.AdviceWeaver;
import dev.etlprofiler.agent.instrument.weave.ClassWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import dev.etlprofiler.agent.instrument.weave.WovenCall;
import dev.etlprofiler.agent.instrument.weave.WovenMethod;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.http.HttpCalls;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * HTTP client calls: the JDK's {@code HttpClient} ({@code send}, {@code sendAsync}) and {@code
 * HttpURLConnection}, woven with ASM alone (almost every job has them; see {@link ClassWeaver}),
 * and Apache HttpClient 4 and 5 (classic and async) and OkHttp 3–5, whose advice calls the
 * library's own API and is woven with ByteBuddy ({@link AdviceWeaver}). Each client is matched by
 * the name of the class that every call goes through. Recording: {@code dev.etlprofiler.core.http}.
 */
public final class HttpLibrary implements Library {
  static final String HTTP_CLIENT = "jdk/internal/net/http/HttpClientFacade";
  static final String URL_CONNECTION = "sun/net/www/protocol/http/HttpURLConnection";
  private static final String CALLS = "http/HttpCalls";

  private static final MethodRule SEND = MethodRule.named("send").args(2);
  private static final MethodRule SEND_ASYNC = MethodRule.named("sendAsync").minArgs(2);
  private static final MethodRule GET_INPUT_STREAM = MethodRule.named("getInputStream").args(0);

  /** Apache HttpClient 5 classic: every {@code execute} overload reaches {@code doExecute}. */
  private static final List<AdviceWeaver.Plan> APACHE_CLASSIC =
      List.of(
          new AdviceWeaver.Plan(MethodRule.named("doExecute").args(3), ApacheClassicAdvice.class));

  /** Apache HttpClient 5 async: the last handler of the exec chain. */
  private static final List<AdviceWeaver.Plan> APACHE_ASYNC =
      List.of(new AdviceWeaver.Plan(MethodRule.named("execute").args(5), ApacheAsyncAdvice.class));

  /** Apache HttpClient 4: every {@code execute} overload reaches {@code doExecute}. */
  private static final List<AdviceWeaver.Plan> APACHE4 =
      List.of(new AdviceWeaver.Plan(MethodRule.named("doExecute").args(3), Apache4Advice.class));

  private static final List<AdviceWeaver.Plan> OKHTTP =
      List.of(
          new AdviceWeaver.Plan(MethodRule.named("execute").args(0), OkHttpAdvice.class),
          new AdviceWeaver.Plan(MethodRule.named("enqueue").args(1), OkHttpAdvice.Enqueue.class));

  /** The advice plans by the internal name of the class they are woven into. */
  private static final Map<String, List<AdviceWeaver.Plan>> ADVISED = new HashMap<>();

  static {
    ADVISED.put("org/apache/hc/client5/http/impl/classic/InternalHttpClient", APACHE_CLASSIC);
    ADVISED.put("org/apache/hc/client5/http/impl/classic/MinimalHttpClient", APACHE_CLASSIC);
    ADVISED.put("org/apache/hc/client5/http/impl/async/HttpAsyncMainClientExec", APACHE_ASYNC);
    ADVISED.put("org/apache/hc/client5/http/impl/async/H2AsyncMainClientExec", APACHE_ASYNC);
    ADVISED.put("org/apache/http/impl/client/InternalHttpClient", APACHE4);
    ADVISED.put("org/apache/http/impl/client/MinimalHttpClient", APACHE4);
    ADVISED.put("org/apache/http/impl/client/AbstractHttpClient", APACHE4);
    ADVISED.put("okhttp3/internal/connection/RealCall", OKHTTP); // OkHttp 4 and 5
    ADVISED.put("okhttp3/RealCall", OKHTTP); // OkHttp 3
  }

  private final Instrumentation inst;
  private volatile AdviceWeaver adviceWeaver;
  private volatile boolean jdkModulesRead;

  public HttpLibrary(Instrumentation inst) {
    this.inst = inst;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (internalName.equals(HTTP_CLIENT) || internalName.equals(URL_CONNECTION)) {
      readCoreFromJdkModules();
      return weaveJdk(internalName, bytes);
    }
    List<AdviceWeaver.Plan> plans = ADVISED.get(internalName);
    return plans == null ? null : adviceWeaver().weave(loader, internalName, bytes, plans);
  }

  /**
   * JDK classes loaded before the transformer (an agent attached late, or another agent's premain).
   */
  @Override
  public Map<String, List<MethodRule>> rulesByClass() {
    Map<String, List<MethodRule>> rules = new java.util.TreeMap<>();
    rules.put(HTTP_CLIENT, List.of(SEND, SEND_ASYNC));
    rules.put(URL_CONNECTION, List.of(GET_INPUT_STREAM));
    for (Map.Entry<String, List<AdviceWeaver.Plan>> e : ADVISED.entrySet()) {
      rules.put(e.getKey(), AdviceWeaver.rules(e.getValue()));
    }
    return rules;
  }

  @Override
  public void installed(Instrumentation inst, boolean attached) {
    String client = HTTP_CLIENT.replace('/', '.');
    String connection = URL_CONNECTION.replace('/', '.');
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getClassLoader() != null || c.isArray() || c.isPrimitive()) {
        continue;
      }
      String name = c.getName();
      if (name.equals(client) || name.equals(connection)) {
        try {
          inst.retransformClasses(c);
        } catch (Throwable t) {
          AgentLog.debug("could not retransform " + name + ": " + t);
        }
      }
    }
  }

  /** The JDK HTTP client facade or HttpURLConnection, woven; null if nothing matched. */
  static byte[] weaveJdk(String internalName, byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    boolean facade = internalName.equals(HTTP_CLIENT);
    Map<String, Integer> kinds = new HashMap<>();
    Set<String> fields = new HashSet<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public FieldVisitor visitField(
              int access, String name, String desc, String signature, Object value) {
            fields.add(name + ":" + desc);
            return null;
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            if (facade && SEND.matches(access, name, desc)) {
              kinds.put(name + desc, HttpCalls.SEND);
            } else if (facade && SEND_ASYNC.matches(access, name, desc)) {
              kinds.put(name + desc, HttpCalls.SEND_ASYNC);
            } else if (!facade && GET_INPUT_STREAM.matches(access, name, desc)) {
              kinds.put(name + desc, HttpCalls.URL_CONNECTION);
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (!facade
        && !(fields.contains(UrlConnectionCall.INPUT_STREAM + ":Ljava/io/InputStream;")
            && fields.contains(UrlConnectionCall.REMEMBERED + ":Ljava/lang/Exception;"))) {
      AgentLog.info(
          "HttpURLConnection calls are not recorded: this JDK's "
              + URL_CONNECTION.replace('/', '.')
              + " has no inputStream and rememberedException fields");
      return null;
    }
    if (kinds.isEmpty()) {
      return null;
    }
    byte[] woven =
        ClassWeaver.weave(
            reader,
            kinds.keySet(),
            new WovenMethod.Factory() {
              @Override
              public MethodVisitor wrap(MethodVisitor mv, String name, String desc, int maxLocals) {
                int kind = kinds.get(name + desc);
                return kind == HttpCalls.URL_CONNECTION
                    ? new UrlConnectionCall(mv, desc, maxLocals, internalName)
                    : new WovenCall(mv, desc, maxLocals, CALLS, kind, true);
              }
            });
    AgentLog.debug("instrumented " + internalName.replace('/', '.'));
    return woven;
  }

  /**
   * {@code HttpURLConnection.getInputStream}, which {@code getResponseCode} and the header getters
   * also go through: {@code enter} gets whether the connection has no response yet (from its own
   * fields, so that only the call that sends the request is timed), the woven local holds the
   * connection typed as its class so that its {@code responseCode} field can be read at exit, and
   * {@code exit} gets that response code.
   */
  private static final class UrlConnectionCall extends WovenCall {
    static final String INPUT_STREAM = "inputStream";
    static final String REMEMBERED = "rememberedException";
    private final String owner;

    UrlConnectionCall(MethodVisitor mv, String desc, int maxLocals, String owner) {
      super(mv, desc, maxLocals, CALLS, HttpCalls.URL_CONNECTION, false, owner);
      this.owner = owner;
    }

    @Override
    protected void loadEnterArgument() {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitFieldInsn(Opcodes.GETFIELD, owner, INPUT_STREAM, "Ljava/io/InputStream;");
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitFieldInsn(Opcodes.GETFIELD, owner, REMEMBERED, "Ljava/lang/Exception;");
      invokeCore(
          CALLS, "noResponseYet", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Boolean;");
    }

    @Override
    protected void loadKept() {
      super.visitVarInsn(Opcodes.ALOAD, 0);
    }

    @Override
    protected void pushReturned() {
      pushResponseCode();
    }

    @Override
    protected void pushReturnedAfterThrow() {
      pushResponseCode();
    }

    /** The connection's {@code responseCode} field, boxed (-1 before a response). */
    private void pushResponseCode() {
      super.visitVarInsn(Opcodes.ALOAD, slot + 1);
      super.visitFieldInsn(Opcodes.GETFIELD, "java/net/HttpURLConnection", "responseCode", "I");
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
    }
  }

  /**
   * Code woven into java.base and java.net.http calls dev.etlprofiler.core, which lives in the boot
   * loader's unnamed module: those named modules must read it. Done before the first such class is
   * defined rather than at start-up, where the module redefinition (lambdas inside the JDK's
   * Instrumentation) cost a few ms of every job's start-up.
   */
  private void readCoreFromJdkModules() {
    if (jdkModulesRead) {
      return;
    }
    synchronized (this) {
      if (!jdkModulesRead) {
        Module core = dev.etlprofiler.core.Core.class.getModule();
        Module base = Object.class.getModule();
        inst.redefineModule(
            base,
            java.util.Set.of(core),
            java.util.Map.of(),
            java.util.Map.of(),
            java.util.Set.of(),
            java.util.Map.of());
        java.util.Optional<Module> http = ModuleLayer.boot().findModule("java.net.http");
        if (http.isPresent()) {
          inst.redefineModule(
              http.get(),
              java.util.Set.of(core),
              java.util.Map.of(),
              java.util.Map.of(),
              java.util.Set.of(),
              java.util.Map.of());
        }
        jdkModulesRead = true;
      }
    }
  }

  /** Made at the first class woven with advice, not at start-up: it loads ByteBuddy. */
  private AdviceWeaver adviceWeaver() {
    AdviceWeaver w = adviceWeaver;
    if (w == null) {
      synchronized (this) {
        if (adviceWeaver == null) {
          adviceWeaver = new AdviceWeaver();
        }
        w = adviceWeaver;
      }
    }
    return w;
  }
}
