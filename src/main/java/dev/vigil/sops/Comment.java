package dev.vigil.sops;

/** A comment node of the tree (YAML '#', dotenv '#', INI ';'), text after the marker. */
record Comment(String text) {
}
