/**
 * The gateway's one configuration file (YAML), read and validated in one place. Each concern has
 * its own section record; unknown keys are errors, and every error names the file and the field.
 */
package jp.kofu.gateway.config;
