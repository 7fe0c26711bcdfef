package jp.kofu.issuer.seed;

/** The next free ids of the tables the seed appends to; advanced as records are made. */
public final class Ids {
  long household;
  long resident;
  long familyRegister;
  long familyRegisterMember;
  long familyRegisterEvent;

  public Ids(long household, long resident, long familyRegister, long familyRegisterMember, long familyRegisterEvent) {
    this.household = household;
    this.resident = resident;
    this.familyRegister = familyRegister;
    this.familyRegisterMember = familyRegisterMember;
    this.familyRegisterEvent = familyRegisterEvent;
  }

  /** Ids for an empty registry. */
  public static Ids first() {
    return new Ids(1, 1, 1, 1, 1);
  }

  @Override
  public String toString() {
    return "Ids[household=" + household + ", resident=" + resident + ", register=" + familyRegister + "]";
  }
}
