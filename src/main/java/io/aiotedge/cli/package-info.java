/** The picocli commands; the only package that writes to standard output. */
package io.aiotedge.cli;
