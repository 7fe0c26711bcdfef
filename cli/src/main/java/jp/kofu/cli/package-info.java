/** The {@code kofu} command line (picocli): one launcher for every command. */
package jp.kofu.cli;
