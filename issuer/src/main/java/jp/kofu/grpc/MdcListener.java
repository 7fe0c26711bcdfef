package jp.kofu.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.ServerCall;

/**
 * A server call's listener that sets a call's MDC keys around each of its callbacks (they run on
 * whichever thread the call's executor picks): {@link #enter} before, {@link #exit} after, also
 * when the callback throws. Used by the access log (request and terminal id) and by tracing
 * (trace and span id).
 */
public abstract class MdcListener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
  protected MdcListener(ServerCall.Listener<Q> delegate) {
    super(delegate);
  }

  /** Puts this call's keys into the MDC; returns whether it put any (passed to {@link #exit}). */
  protected abstract boolean enter();

  /** Takes them out again. */
  protected abstract void exit(boolean entered);

  @Override
  public void onMessage(Q message) {
    boolean e = enter();
    try {
      super.onMessage(message);
    } finally {
      exit(e);
    }
  }

  @Override
  public void onHalfClose() {
    boolean e = enter();
    try {
      super.onHalfClose();
    } finally {
      exit(e);
    }
  }

  @Override
  public void onCancel() {
    boolean e = enter();
    try {
      super.onCancel();
    } finally {
      exit(e);
    }
  }

  @Override
  public void onComplete() {
    boolean e = enter();
    try {
      super.onComplete();
    } finally {
      exit(e);
    }
  }

  @Override
  public void onReady() {
    boolean e = enter();
    try {
      super.onReady();
    } finally {
      exit(e);
    }
  }
}
