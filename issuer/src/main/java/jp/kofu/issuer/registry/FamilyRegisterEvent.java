package jp.kofu.issuer.registry;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a family register: a 戸籍事項 ({@code memberId} null) or a member's 身分事項, with
 * its bracketed items.
 */
public record FamilyRegisterEvent(long id, long registerId, Long memberId, int seq, String kind, List<Item> items) {
  public FamilyRegisterEvent {
    items = List.copyOf(items);
  }

  /** One bracketed item, e.g. 【出生日】 with a date, or 【配偶者氏名】 with a text: one of the two. */
  public record Item(String label, String text, LocalDate date) {
    public Item {
      Objects.requireNonNull(label, "label");
      if ((text == null) == (date == null)) {
        throw new IllegalArgumentException("item " + label + ": expected either a text or a date");
      }
    }

    public static Item text(String label, String text) {
      return new Item(label, Objects.requireNonNull(text, "text"), null);
    }

    public static Item date(String label, LocalDate date) {
      return new Item(label, null, Objects.requireNonNull(date, "date"));
    }

    @Override
    public String toString() {
      return "Item[" + label + ", personal data withheld]";
    }
  }

  @Override
  public String toString() {
    return "FamilyRegisterEvent[id=" + id + ", kind=" + kind + "]";
  }
}
