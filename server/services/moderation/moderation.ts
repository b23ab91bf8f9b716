/**
 * Trust and safety behind one object (what submissions and disputes call): the audit log (./audit.ts),
 * blocklists (./blocklist.ts), the detectors run after a submission (./detectors.ts), and cases,
 * takedowns, strikes, appeals and badges (./cases.ts). The detectors never remove anything.
 */
import type { AssetFingerprints } from '../../../engine/library.ts';
import type { AssetCard } from '../../../shared/asset.ts';
import type { TrustPolicy } from '../../../shared/policy/trust.ts';
import type { AuditService } from './audit.ts';
import type { Blocklists } from './blocklist.ts';
import type { CasesService } from './cases.ts';
import type { Detectors } from './detectors.ts';

export class Moderation {
  constructor(
    private readonly parts: { audit: AuditService; blocklists: Blocklists; detectors: Detectors; cases: CasesService },
    readonly policy: TrustPolicy,
  ) {
    const { audit, cases, detectors, blocklists } = parts;
    this.impartial = audit.impartial.bind(audit);
    this.audit = audit.audit.bind(audit);
    this.auditLog = audit.auditLog.bind(audit);
    this.auditCsv = audit.auditCsv.bind(audit);
    this.openCase = cases.openCase.bind(cases);
    this.report = cases.report.bind(cases);
    this.cases = cases.cases.bind(cases);
    this.myCases = cases.myCases.bind(cases);
    this.decide = cases.decide.bind(cases);
    this.appeal = cases.appeal.bind(cases);
    this.decideAppeal = cases.decideAppeal.bind(cases);
    this.assetBadges = cases.assetBadges.bind(cases);
    this.afterSubmission = detectors.afterSubmission.bind(detectors);
    this.importBlocklist = blocklists.importBlocklist.bind(blocklists);
  }

  close(): void {
    this.parts.blocklists.close();
  }

  /** Copy-layer hits against imported blocklists (held for a human like any likely plagiarism). */
  blocklistHits(card: AssetCard, fp: AssetFingerprints) {
    return this.parts.blocklists.hits(card, fp);
  }

  // audit log
  readonly impartial: AuditService['impartial'];
  readonly audit: AuditService['audit'];
  readonly auditLog: AuditService['auditLog'];
  readonly auditCsv: AuditService['auditCsv'];
  // cases
  readonly openCase: CasesService['openCase'];
  readonly report: CasesService['report'];
  readonly cases: CasesService['cases'];
  readonly myCases: CasesService['myCases'];
  readonly decide: CasesService['decide'];
  readonly appeal: CasesService['appeal'];
  readonly decideAppeal: CasesService['decideAppeal'];
  readonly assetBadges: CasesService['assetBadges'];
  // detection and blocklists
  readonly afterSubmission: Detectors['afterSubmission'];
  readonly importBlocklist: Blocklists['importBlocklist'];
}
