package jp.kofu.gateway.kiosk;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import jp.kofu.proto.kiosk.v1.DocumentChunk;
import jp.kofu.proto.kiosk.v1.IssueHeader;
import jp.kofu.proto.kiosk.v1.IssueResponse;
import jp.kofu.proto.kiosk.v1.IssueTrailer;

/**
 * Streams a document as header, chunks of at most 64 KiB, trailer, sending only while the
 * transport is ready ({@code isReady} / {@code onReadyHandler}), so a slow copier never makes the
 * gateway buffer a whole document per call. gRPC serializes a call's callbacks, so {@link #drain}
 * never runs twice at once.
 */
final class DocumentStreamer {
  static final int CHUNK = 64 * 1024;

  private final ServerCallStreamObserver<IssueResponse> out;
  private final IssueHeader header;
  private final ByteString pdf;
  private boolean headerSent;
  private int offset;
  private int chunks;
  private boolean done;

  private DocumentStreamer(ServerCallStreamObserver<IssueResponse> out, IssueHeader header, byte[] pdf) {
    this.out = out;
    this.header = header;
    // Wrapped, not copied: nothing writes to a delivered document's bytes (75 KB less per stream).
    this.pdf = com.google.protobuf.UnsafeByteOperations.unsafeWrap(pdf);
  }

  static void stream(ServerCallStreamObserver<IssueResponse> out, IssueHeader header, byte[] pdf) {
    DocumentStreamer s = new DocumentStreamer(out, header, pdf);
    out.setOnCancelHandler(() -> s.done = true);
    out.setOnReadyHandler(s::drain);
    s.drain();
  }

  private void drain() {
    while (!done && out.isReady()) {
      if (!headerSent) {
        out.onNext(IssueResponse.newBuilder().setHeader(header).build());
        headerSent = true;
      } else if (offset < pdf.size()) {
        int n = Math.min(CHUNK, pdf.size() - offset);
        out.onNext(
            IssueResponse.newBuilder()
                .setChunk(DocumentChunk.newBuilder().setOffset(offset).setData(pdf.substring(offset, offset + n)))
                .build());
        offset += n;
        chunks++;
      } else {
        out.onNext(
            IssueResponse.newBuilder()
                .setTrailer(IssueTrailer.newBuilder().setChunkCount(chunks).setSha256(header.getSha256()))
                .build());
        out.onCompleted();
        done = true;
      }
    }
  }
}
