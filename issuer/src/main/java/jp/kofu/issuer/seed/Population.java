package jp.kofu.issuer.seed;

import java.util.List;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;

/** What the generator made for one municipality. */
public record Population(List<Household> households, List<Resident> residents, List<CardRecord> cardRecords, List<SeededCard> cards) {}
