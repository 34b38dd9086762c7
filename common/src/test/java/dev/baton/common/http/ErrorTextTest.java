package dev.baton.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorTextTest {

  @Test
  void fileSystemFailuresLoseTheirPathsWhereverTheySitInTheChain() {
    String path = "/var/lib/baton/artifacts/shop/1.0.0.abc";
    assertThat(ErrorText.of(new NoSuchFileException(path))).doesNotContain(path).contains("NoSuchFileException");
    assertThat(ErrorText.of(new AccessDeniedException(path))).doesNotContain(path);
    assertThat(ErrorText.of(new FileNotFoundException(path + " (No such file)"))).doesNotContain(path);
    assertThat(ErrorText.of(new io.vertx.core.file.FileSystemException(new NoSuchFileException(path))))
        .doesNotContain(path);
    assertThat(ErrorText.of(new UncheckedIOException(new AccessDeniedException(path))))
        .doesNotContain(path).contains("AccessDeniedException");
    assertThat(ErrorText.of(new IllegalStateException("move failed: " + path, new NoSuchFileException(path))))
        .doesNotContain(path);
  }

  @Test
  void otherFailuresKeepTheirMessage() {
    assertThat(ErrorText.of(new ConnectException("Connection refused"))).isEqualTo("Connection refused");
    assertThat(ErrorText.of(new IllegalStateException("no leader"))).isEqualTo("no leader");
    assertThat(ErrorText.of(new NullPointerException())).isEqualTo("NullPointerException");
  }
}
