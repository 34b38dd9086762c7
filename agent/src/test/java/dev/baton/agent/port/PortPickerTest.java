package dev.baton.agent.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.PortRange;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortPickerTest {

  private final PortRange range = new PortRange(20000, 20004);

  @Test
  void candidatesStartAfterTheLastPortHandedOutAndWrapAround() {
    assertThat(PortPicker.candidates(range, Set.of(), 20002)).containsExactly(20003, 20004, 20000, 20001, 20002);
  }

  @Test
  void candidatesSkipTakenPorts() {
    assertThat(PortPicker.candidates(range, Set.of(20000, 20003), 20004)).containsExactly(20001, 20002, 20004);
  }

  @Test
  void aLastPortOutsideTheRangeStartsAtTheBeginning() {
    assertThat(PortPicker.candidates(range, Set.of(), 1)).containsExactly(20000, 20001, 20002, 20003, 20004);
  }

  @Test
  void aFullRangeHasNoCandidate() {
    assertThat(PortPicker.candidates(range, Set.of(20000, 20001, 20002, 20003, 20004), 20000)).isEmpty();
  }

  @Test
  void aRequestedPortOutsideTheRangeIsABadRequest() {
    var e = PortPicker.rejectRequested(8080, range, Set.of());
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("port_out_of_range");
    assertThat(e.getMessage()).contains("20000-20004");
  }

  @Test
  void aRequestedPortHeldByAnotherInstanceIsAConflict() {
    var e = PortPicker.rejectRequested(20001, range, Set.of(20001));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.code()).isEqualTo("port_in_use");
  }

  @Test
  void aFreeRequestedPortInTheRangeMayBeProbed() {
    assertThat(PortPicker.rejectRequested(20004, range, Set.of(20001))).isNull();
  }
}
