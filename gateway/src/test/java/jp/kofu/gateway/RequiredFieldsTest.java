package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.kiosk.v1.CloseSessionRequest;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.kiosk.v1.ListOfferingsRequest;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The annotations and the validation agree: every field the proto marks
 * {@code (google.api.field_behavior) = REQUIRED} is refused by the gateway when it is absent
 * (INVALID_ARGUMENT or UNAUTHENTICATED with a kofu reason), in a request that is otherwise
 * accepted. The fields come from the descriptors, so a new REQUIRED annotation is tested at once.
 */
@WholeWorld
class RequiredFieldsTest {
  @RegisterExtension final KofuWorld world = KofuWorld.embedded();

  @Test
  void everyRequiredFieldIsRefusedWhenAbsent() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(1).getFirst();
    Copier copier = world.copier("required-fields");
    ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(entry.residentId()), entry.pin()).getSessionToken();
    var kiosk = copier.stub();
    List<String> checked = new ArrayList<>();

    checked.addAll(check(ListOfferingsRequest.newBuilder().setSessionToken(token).build(), r -> kiosk.listOfferings((ListOfferingsRequest) r)));
    IssueRequest issue =
        IssueRequest.newBuilder()
            .setSessionToken(token)
            .setOrderId(UUID.randomUUID().toString())
            .setMunicipalityCode(entry.municipalityCode())
            .setCertificate(CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1))
            .build();
    var doc = copier.issue(token, issue.getOrderId(), issue.getMunicipalityCode(), issue.getCertificate());
    checked.addAll(check(issue.toBuilder().setOrderId(UUID.randomUUID().toString()).build(), r -> {
      kiosk.issue((IssueRequest) r).forEachRemaining(x -> {});
      return null;
    }));
    ConfirmDeliveryRequest confirm =
        ConfirmDeliveryRequest.newBuilder()
            .setSessionToken(token)
            .setIssuanceId(doc.header().getIssuanceId())
            .setOutcome(ConfirmDeliveryRequest.DeliveryOutcome.DELIVERY_OUTCOME_PRINTED)
            .build();
    checked.addAll(check(confirm, r -> kiosk.confirmDelivery((ConfirmDeliveryRequest) r)));
    kiosk.confirmDelivery(confirm);
    checked.addAll(check(CloseSessionRequest.newBuilder().setSessionToken(token).build(), r -> kiosk.closeSession((CloseSessionRequest) r)));

    assertThat(checked)
        .contains(
            "kofu.kiosk.v1.IssueRequest.order_id",
            "kofu.kiosk.v1.IssueRequest.certificate",
            "kofu.type.v1.CertificateRequest.type",
            "kofu.type.v1.CertificateRequest.copies",
            "kofu.kiosk.v1.ConfirmDeliveryRequest.outcome");
  }

  /** Clears each REQUIRED field of {@code valid} (and of its REQUIRED messages) and expects a refusal. */
  static List<String> check(Message valid, Function<Message, Object> call) {
    List<String> checked = new ArrayList<>();
    for (List<FieldDescriptor> path : requiredPaths(valid.getDescriptorForType(), List.of())) {
      Message without = clear(valid, path);
      FieldDescriptor f = path.getLast();
      StatusRuntimeException e = null;
      try {
        call.apply(without);
      } catch (StatusRuntimeException thrown) {
        e = thrown;
      }
      assertThat(e).as(f.getFullName() + " absent: refused").isNotNull();
      assertThat(e.getStatus().getCode()).as(f.getFullName() + ": " + e.getStatus()).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.UNAUTHENTICATED);
      assertThat(KofuErrors.reasonOf(e)).as(f.getFullName()).isNotNull();
      checked.add(f.getFullName());
    }
    return checked;
  }

  static List<List<FieldDescriptor>> requiredPaths(Descriptor type, List<FieldDescriptor> prefix) {
    List<List<FieldDescriptor>> out = new ArrayList<>();
    for (FieldDescriptor f : type.getFields()) {
      if (!f.getOptions().getExtension(FieldBehaviorProto.fieldBehavior).contains(FieldBehavior.REQUIRED)) {
        continue;
      }
      List<FieldDescriptor> path = new ArrayList<>(prefix);
      path.add(f);
      out.add(path);
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()) {
        out.addAll(requiredPaths(f.getMessageType(), path));
      }
    }
    return out;
  }

  static Message clear(Message m, List<FieldDescriptor> path) {
    FieldDescriptor first = path.getFirst();
    if (path.size() == 1) {
      return m.toBuilder().clearField(first).build();
    }
    return m.toBuilder().setField(first, clear((Message) m.getField(first), path.subList(1, path.size()))).build();
  }
}
