package jp.kofu.issuer.seed;

import java.util.random.RandomGenerator;

/** 個人番号: 11 digits and a check digit (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 第8条). */
final class MyNumber {
  private MyNumber() {}

  static String random(RandomGenerator random) {
    StringBuilder s = new StringBuilder(12);
    s.append(1 + random.nextInt(9));
    for (int i = 1; i < 11; i++) {
      s.append(random.nextInt(10));
    }
    return s.append(checkDigit(s.toString())).toString();
  }

  /** The check digit of 11 digits: Qn = n+1 for n ≤ 6, n−5 for n ≥ 7, Pn counted from the right. */
  static int checkDigit(String eleven) {
    int sum = 0;
    for (int n = 1; n <= 11; n++) {
      int p = eleven.charAt(11 - n) - '0';
      int q = n <= 6 ? n + 1 : n - 5;
      sum += p * q;
    }
    int r = sum % 11;
    return r <= 1 ? 0 : 11 - r;
  }
}
