package jp.kofu.gateway;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;

/** Kiosk calls with requests as raw bytes: whatever a hostile or broken copier might send. */
final class RawCalls {
  private RawCalls() {}

  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** The kiosk's methods by their bare names (OpenSession, Authenticate, ...). */
  static MethodDescriptor<byte[], byte[]> method(String bareName) {
    for (var m : KioskServiceGrpc.getServiceDescriptor().getMethods()) {
      if (m.getBareMethodName().equals(bareName)) {
        return m.toBuilder(BYTES, BYTES).build();
      }
    }
    throw new IllegalArgumentException(bareName);
  }

  /** Sends {@code request} to {@code method}; null when the call succeeded, else its error. */
  static StatusRuntimeException call(Channel channel, String method, byte[] request) {
    MethodDescriptor<byte[], byte[]> m = method(method);
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
    try {
      if (m.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel, m, options, request);
        while (it.hasNext()) {
          it.next();
        }
      } else {
        ClientCalls.blockingUnaryCall(channel, m, options, request);
      }
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }
}
