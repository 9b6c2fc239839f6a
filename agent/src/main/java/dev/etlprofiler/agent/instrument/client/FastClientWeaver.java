package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.agent.instrument.Supertypes;
import dev.etlprofiler.agent.instrument.WovenMethod;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.WovenCalls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * JDBC drivers and the JDK's HTTP clients woven with ASM alone, like the ETL methods (see {@code
 * FastWeaver}): these are the clients almost every job uses, and weaving them with ByteBuddy loaded
 * ByteBuddy into every such job — about 0.45 s and 45 MiB of the example job (H2 and the JDK
 * HttpClient), measured with either client switched off. The code woven is {@link
 * WovenCalls#enter}/{@link WovenCalls#exit} around the body with the call's kind, object, first
 * argument and boxed return value; the logic per kind is the same as the ByteBuddy advice's, which
 * remains for the libraries whose types the woven code would have to name (Apache HttpClient,
 * OkHttp, Kafka).
 */
final class FastClientWeaver {
  private static final int API = Opcodes.ASM9;
  private static final String CALLS = "WovenCalls";
  private static final String ENTER_DESC =
      "(ILjava/lang/Object;Ljava/lang/Object;)L" + WovenMethod.THREAD_STATE + ";";
  private static final String EXIT_DESC =
      "(Ljava/lang/Object;ILjava/lang/Object;L"
          + WovenMethod.THREAD_STATE
          + ";Ljava/lang/Throwable;)V";
  private static final String STRING = "Ljava/lang/String;";

  private final Supertypes supertypes = new Supertypes();

  /** What to weave into one method. */
  private record Plan(int kind, boolean firstArgument) {}

  /** The JDK HTTP client facade or HttpURLConnection, woven; null if nothing matched. */
  byte[] weaveHttp(String internalName, byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    Map<String, Plan> plans = new HashMap<>();
    reader.accept(
        new ClassVisitor(API) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            if (concrete(access)) {
              int args = Type.getArgumentTypes(desc).length;
              if (internalName.equals(ClientTransformer.HTTP_CLIENT)) {
                if (name.equals("send") && args == 2)
                  plans.put(name + desc, new Plan(WovenCalls.HTTP_SEND, true));
                if (name.equals("sendAsync") && args >= 2)
                  plans.put(name + desc, new Plan(WovenCalls.HTTP_SEND_ASYNC, true));
              } else if (name.equals("getInputStream") && args == 0) {
                plans.put(name + desc, new Plan(WovenCalls.URL_CONNECTION, false));
              }
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return rewrite(reader, internalName, plans);
  }

  /**
   * A JDBC driver class, woven when it implements {@code java.sql.Statement} (execute*,
   * executeBatch) or {@code java.sql.Connection} (prepareStatement, prepareCall, commit); null
   * otherwise.
   *
   * <p>The class's own methods are looked at first, by name and arguments: a class that declares
   * none of those methods is left alone before its supertypes are read. Reading them means one
   * class file per supertype through the class loader, and most classes that reach here (every
   * class of a driver that mentions {@code java/sql/}, e.g. 121 of H2 2.3's 1,055) declare none: in
   * the example job's profiles that reading was 10 ms of each run, 4 ms after this change.
   */
  byte[] weaveJdbc(ClassLoader loader, String internalName, byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    if ((reader.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) != 0) {
      return null;
    }
    List<String[]> declared = new ArrayList<>();
    reader.accept(
        new ClassVisitor(API) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            if (concrete(access)
                && (access & Opcodes.ACC_PUBLIC) != 0
                && jdbcPlan(name, desc, true, true) != null) {
              declared.add(new String[] {name, desc});
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (declared.isEmpty()) {
      return null;
    }
    Set<String> types =
        supertypes.of(loader, internalName, reader.getSuperName(), reader.getInterfaces());
    boolean statement = types.contains("java/sql/Statement");
    boolean connection = types.contains("java/sql/Connection");
    if (!statement && !connection) {
      return null;
    }
    Map<String, Plan> plans = new HashMap<>();
    for (String[] method : declared) {
      Plan plan = jdbcPlan(method[0], method[1], statement, connection);
      if (plan != null
          && (plan.kind() != WovenCalls.JDBC_PREPARE
              || returnsStatement(loader, Type.getReturnType(method[1])))) {
        plans.put(method[0] + method[1], plan);
      }
    }
    return rewrite(reader, internalName, plans);
  }

  /**
   * What to weave into a public concrete method of a {@code Statement} or {@code Connection} class
   * by its name and descriptor, or null. A {@code JDBC_PREPARE} plan still needs its return type
   * checked ({@link #returnsStatement}).
   */
  private static Plan jdbcPlan(String name, String desc, boolean statement, boolean connection) {
    if (!name.startsWith("execute") && !name.startsWith("prepare") && !name.equals("commit")) {
      return null; // most methods: no descriptor parsed
    }
    Type[] args = Type.getArgumentTypes(desc);
    boolean sqlFirst = args.length > 0 && args[0].getDescriptor().equals(STRING);
    if (statement) {
      if (name.equals("execute")
          || name.equals("executeQuery")
          || name.equals("executeUpdate")
          || name.equals("executeLargeUpdate")) {
        if (sqlFirst) return new Plan(WovenCalls.JDBC_SQL, true);
        if (args.length == 0) return new Plan(WovenCalls.JDBC_PREPARED, false);
      } else if ((name.equals("executeBatch") || name.equals("executeLargeBatch"))
          && args.length == 0) {
        return new Plan(WovenCalls.JDBC_BATCH, false);
      }
    }
    if (connection) {
      if ((name.equals("prepareStatement") || name.equals("prepareCall")) && sqlFirst) {
        return new Plan(WovenCalls.JDBC_PREPARE, true);
      } else if (name.equals("commit") && args.length == 0) {
        return new Plan(WovenCalls.JDBC_COMMIT, false);
      }
    }
    return null;
  }

  private boolean returnsStatement(ClassLoader loader, Type type) {
    return type.getSort() == Type.OBJECT
        && supertypes.ofName(loader, type.getInternalName()).contains("java/sql/Statement");
  }

  private static boolean concrete(int access) {
    return (access
            & (Opcodes.ACC_ABSTRACT
                | Opcodes.ACC_NATIVE
                | Opcodes.ACC_SYNTHETIC
                | Opcodes.ACC_BRIDGE
                | Opcodes.ACC_STATIC))
        == 0;
  }

  private static byte[] rewrite(ClassReader reader, String internalName, Map<String, Plan> plans) {
    if (plans.isEmpty()) {
      return null;
    }
    byte[] woven =
        WovenMethod.weaveClass(
            reader,
            plans.keySet(),
            new WovenMethod.Factory() {
              @Override
              public MethodVisitor wrap(MethodVisitor mv, String name, String desc, int maxLocals) {
                return new ClientCall(mv, desc, maxLocals, plans.get(name + desc), internalName);
              }
            });
    AgentLog.debug("instrumented client class " + internalName.replace('/', '.'));
    return woven;
  }

  /**
   * {@code ts = WovenCalls.enter(KIND, this, arg0)}, the first argument kept in a woven local, and
   * {@code WovenCalls.exit(returned, KIND, arg0, ts, thrown)} on every way out. For
   * HttpURLConnection the woven local holds {@code this} typed as the class itself, so that its
   * protected {@code responseCode} field can be read at exit.
   */
  private static final class ClientCall extends WovenMethod {
    private final Plan plan;
    private final boolean urlConnection;

    ClientCall(MethodVisitor mv, String desc, int maxLocals, Plan plan, String owner) {
      super(
          mv,
          desc,
          maxLocals,
          plan.kind() == WovenCalls.URL_CONNECTION ? owner : "java/lang/Object");
      this.plan = plan;
      this.urlConnection = plan.kind() == WovenCalls.URL_CONNECTION;
    }

    @Override
    protected void enter() {
      push(plan.kind());
      super.visitVarInsn(Opcodes.ALOAD, 0);
      loadFirstArgument();
      invokeCore(CALLS, "enter", ENTER_DESC);
      super.visitVarInsn(Opcodes.ASTORE, slot);
      if (urlConnection) {
        super.visitVarInsn(Opcodes.ALOAD, 0);
      } else {
        loadFirstArgument();
      }
      super.visitVarInsn(Opcodes.ASTORE, slot + 1);
    }

    private void loadFirstArgument() {
      if (plan.firstArgument()) {
        super.visitVarInsn(Opcodes.ALOAD, 1);
      } else {
        super.visitInsn(Opcodes.ACONST_NULL);
      }
    }

    @Override
    protected void exitReturning() {
      if (urlConnection) {
        pushResponseCode();
      } else {
        pushReturnValueBoxed();
      }
      exitCall(false);
    }

    @Override
    protected void exitThrowing() {
      super.visitInsn(Opcodes.DUP);
      super.visitVarInsn(Opcodes.ASTORE, scratch());
      if (urlConnection) {
        pushResponseCode();
      } else {
        super.visitInsn(Opcodes.ACONST_NULL);
      }
      exitCall(true);
    }

    /** The connection's {@code responseCode} field, boxed (-1 before a response). */
    private void pushResponseCode() {
      super.visitVarInsn(Opcodes.ALOAD, slot + 1);
      super.visitFieldInsn(Opcodes.GETFIELD, "java/net/HttpURLConnection", "responseCode", "I");
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
    }

    private void exitCall(boolean thrown) {
      push(plan.kind());
      super.visitVarInsn(Opcodes.ALOAD, slot + 1);
      super.visitVarInsn(Opcodes.ALOAD, slot);
      if (thrown) {
        super.visitVarInsn(Opcodes.ALOAD, scratch());
      } else {
        super.visitInsn(Opcodes.ACONST_NULL);
      }
      invokeCore(CALLS, "exit", EXIT_DESC);
    }
  }
}
