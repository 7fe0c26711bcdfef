package jp.kofu.issuer.registry;

import java.time.LocalDate;

/** One line of a 戸籍の附票: an address of a member and the day it was set. Personal data. */
public record AnnexEntry(long memberId, int seq, String address, LocalDate since) {
  @Override
  public String toString() {
    return "AnnexEntry[member=" + memberId + ", seq=" + seq + "]";
  }
}
