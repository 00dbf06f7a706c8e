/**
 * The picocli commands ({@code run}, {@code demo}, {@code config}, {@code devices}, {@code models},
 * {@code pipeline}, {@code bench}, ...). A root: it starts nodes and stages, so it may import
 * components. The only package that imports picocli and the only one that writes to standard
 * output.
 */
package io.aiotedge.cli;
