import { ReportsApi, type Report, type ReportDocument } from '@sp-api-sdk/reports-api-2021-06-30';
import type { PollOptions, SpApiDocuments } from '../documents';
import { ProcessingError } from '../errors';
import type { SpApiTransport } from '../transport/sp-api-transport';
import { parseTsv } from '../tsv';

export type { Report, ReportDocument } from '@sp-api-sdk/reports-api-2021-06-30';

/** Reports API 2021-06-30: request a report, wait for it, read its document. */
export class ReportsClient {
  private readonly api: ReportsApi;

  constructor(
    private readonly transport: SpApiTransport,
    private readonly documents: SpApiDocuments,
  ) {
    this.api = transport.sdk(ReportsApi);
  }

  async createReport(spec: { reportType: string; marketplaceIds: string[]; dataStartTime?: string; dataEndTime?: string }, signal?: AbortSignal): Promise<string> {
    const res = await this.transport.call('createReport', (o) => this.api.createReport({ body: spec }, o), signal);
    return res.data.reportId;
  }

  async getReport(reportId: string, signal?: AbortSignal): Promise<Report> {
    const res = await this.transport.call('getReport', (o) => this.api.getReport({ reportId }, o), signal);
    return res.data;
  }

  async getReportDocument(reportDocumentId: string, signal?: AbortSignal): Promise<ReportDocument> {
    const res = await this.transport.call('getReportDocument', (o) => this.api.getReportDocument({ reportDocumentId }, o), signal);
    return res.data;
  }

  /**
   * Requests a tab-separated report, waits for it, downloads and parses it into rows keyed by the
   * header. A CANCELLED report (Amazon's answer when there is no data) gives no rows.
   */
  async fetchTabularReport(
    spec: { reportType: string; marketplaceIds: string[]; dataStartTime?: string },
    poll: PollOptions = {},
  ): Promise<Record<string, string>[]> {
    const reportId = await this.createReport(spec, poll.signal);
    const report = await this.documents.pollUntilTerminal('getReport', () => this.getReport(reportId, poll.signal), poll);
    if (report.processingStatus === 'CANCELLED') return [];
    if (report.processingStatus !== 'DONE' || !report.reportDocumentId) {
      throw new ProcessingError(`Report ${reportId} (${spec.reportType}) ended ${report.processingStatus}`, {
        operation: 'getReport',
        processingStatus: report.processingStatus,
      });
    }
    const doc = await this.getReportDocument(report.reportDocumentId, poll.signal);
    return parseTsv(await this.documents.download(doc, poll.signal));
  }
}
