/**
 * Japan's working calendar as municipalities count it: national holidays (国民の祝日, with
 * substitute holidays and citizens' holidays), the year-end closure (年末年始, 29 Dec to 3 Jan),
 * and business days (開庁日) built from both.
 */
package jp.kofu.issuer.calendar;
