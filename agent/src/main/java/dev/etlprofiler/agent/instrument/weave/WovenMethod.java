package dev.etlprofiler.agent.instrument.weave;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Code woven around a method body with ASM alone: an entry part, an exit part before every return,
 * and a catch-all handler after the body that runs the exit part for a throwable and rethrows it.
 * See {@link ClassWeaver} for why the frames stay valid: the woven locals live after the method's
 * own {@code max_locals}, are appended to every stack-map frame, and the handler's frame names only
 * them; the woven code has no branch; the handler is the last entry of the exception table. The
 * entry part must assign every woven local before the body starts.
 */
public abstract class WovenMethod extends MethodVisitor {
  public static final String CORE_PACKAGE = "dev/etlprofiler/core/";
  public static final String THREAD_STATE = CORE_PACKAGE + "ThreadState";

  /** The first woven local; holds the {@code ThreadState}. */
  protected final int slot;

  /** The woven locals' types, from {@link #slot} on (the first is always the thread state). */
  private final Object[] wovenTypes;

  /** The method's return type. */
  protected final Type returnType;

  private final Label start = new Label();
  private final Label handler = new Label();

  /**
   * @param maxLocals the method's own {@code max_locals}: the woven locals go after it
   * @param moreLocals internal names of woven locals after the thread state (e.g. {@code
   *     java/lang/Object})
   */
  protected WovenMethod(MethodVisitor mv, String descriptor, int maxLocals, String... moreLocals) {
    super(Opcodes.ASM9, mv);
    this.slot = maxLocals;
    this.returnType = Type.getReturnType(descriptor);
    this.wovenTypes = new Object[1 + moreLocals.length];
    wovenTypes[0] = THREAD_STATE;
    System.arraycopy(moreLocals, 0, wovenTypes, 1, moreLocals.length);
  }

  /**
   * Emits the entry part: must store a thread state (or null) in {@link #slot} and set the other
   * woven locals.
   */
  protected abstract void enter();

  /**
   * Emits the exit part before a return: the return value, if any, is on the stack and must stay.
   */
  protected abstract void exitReturning();

  /** Emits the exit part in the handler: the throwable is on the stack and must stay. */
  protected abstract void exitThrowing();

  /** Extra stack the woven parts need beyond the method's own. */
  protected int extraStack() {
    return 6;
  }

  /** A local free for the handler's own use (after the woven locals). */
  protected final int scratch() {
    return slot + wovenTypes.length;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    enter();
    super.visitLabel(start);
  }

  /**
   * Expanded frames (F_NEW): the woven locals appended, the method's locals padded up to them with
   * TOP.
   */
  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    List<Object> locals = new ArrayList<>(slot + wovenTypes.length);
    int slots = 0;
    for (int i = 0; i < numLocal; i++) {
      Object t = local[i];
      locals.add(t);
      slots += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
    }
    if (slots > slot) {
      throw new IllegalStateException("a frame with more locals than max_locals");
    }
    for (; slots < slot; slots++) {
      locals.add(Opcodes.TOP);
    }
    for (Object t : wovenTypes) {
      locals.add(t);
    }
    super.visitFrame(type, locals.size(), locals.toArray(), numStack, stack);
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      exitReturning();
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    super.visitLabel(handler);
    Object[] locals = new Object[slot + wovenTypes.length];
    java.util.Arrays.fill(locals, Opcodes.TOP);
    System.arraycopy(wovenTypes, 0, locals, slot, wovenTypes.length);
    super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
    exitThrowing();
    super.visitInsn(Opcodes.ATHROW);
    super.visitTryCatchBlock(start, handler, handler, null);
    super.visitMaxs(maxStack + extraStack(), scratch() + 1);
  }

  /** Makes the woven visitor for one selected method, given its own {@code max_locals}. */
  public interface Factory {
    MethodVisitor wrap(MethodVisitor mv, String name, String descriptor, int maxLocals);
  }

  /** Pushes an int constant. */
  protected final void push(int value) {
    if (value >= -1 && value <= 5) {
      super.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      super.visitIntInsn(Opcodes.SIPUSH, value);
    } else {
      super.visitLdcInsn(value);
    }
  }

  /**
   * With the return value on the stack: pushes a copy of it boxed (null for void), the value kept.
   */
  protected final void pushReturnValueBoxed() {
    switch (returnType.getSort()) {
      case Type.VOID -> super.visitInsn(Opcodes.ACONST_NULL);
      case Type.LONG, Type.DOUBLE -> {
        super.visitInsn(Opcodes.DUP2);
        box();
      }
      default -> {
        super.visitInsn(Opcodes.DUP);
        box();
      }
    }
  }

  private void box() {
    String owner =
        switch (returnType.getSort()) {
          case Type.BOOLEAN -> "java/lang/Boolean";
          case Type.BYTE -> "java/lang/Byte";
          case Type.CHAR -> "java/lang/Character";
          case Type.SHORT -> "java/lang/Short";
          case Type.INT -> "java/lang/Integer";
          case Type.LONG -> "java/lang/Long";
          case Type.FLOAT -> "java/lang/Float";
          case Type.DOUBLE -> "java/lang/Double";
          default -> null;
        };
    if (owner != null) {
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          owner,
          "valueOf",
          "(" + returnType.getDescriptor() + ")L" + owner + ";",
          false);
    }
  }

  protected final void invokeCore(String owner, String name, String descriptor) {
    super.visitMethodInsn(Opcodes.INVOKESTATIC, CORE_PACKAGE + owner, name, descriptor, false);
  }
}
