import { InputError } from '../../../../nodes/OneMsg/shared/failures';
import { templateRecordsOf } from '../../../../nodes/OneMsg/template/templates';
import { findTemplateForStatus, reviewLabel, templateStatusSummary } from '../../../../nodes/OneMsg/template/templateStatus';
import { cloneTemplates } from '../../../fake-1msg/templates';

const records = templateRecordsOf({ templates: cloneTemplates() });
const named = (name: string) => records.find((t) => t.name === name)!;

describe('templateStatusSummary', () => {
	it("reads approved, pending and rejected with Meta's reason from the template list", () => {
		expect(templateStatusSummary(named('order_no_response_notification'))).toMatchObject({
			status: 'approved',
			approved: true,
			rejectedReason: null,
		});
		expect(templateStatusSummary(named('pending_review_notice'))).toMatchObject({ status: 'pending', approved: false, rawStatus: 'PENDING' });
		expect(templateStatusSummary(named('rejected_promo_notice'))).toMatchObject({
			status: 'rejected',
			approved: false,
			rejectedReason: 'INVALID_FORMAT',
		});
		expect(templateStatusSummary(named('lowercase_status_notice')).status).toBe('approved');
	});

	it('labels templates that cannot be sent yet', () => {
		expect(reviewLabel(named('pending_review_notice'))).toBe('pending approval');
		expect(reviewLabel(named('rejected_promo_notice'))).toBe('rejected: INVALID_FORMAT');
	});
});

describe('findTemplateForStatus', () => {
	it('finds a template by name and language', () => {
		expect(findTemplateForStatus(records, 'order_status_update', 'pt_BR').language).toBe('pt_BR');
	});

	it('names the field when the template is missing or its language is ambiguous', () => {
		const thrown = (run: () => unknown) => {
			try {
				run();
			} catch (error) {
				return error as InputError;
			}
			throw new Error('expected an InputError');
		};
		expect(thrown(() => findTemplateForStatus(records, 'order_status_update'))).toMatchObject({ field: 'Language' });
		const missing = thrown(() => findTemplateForStatus(records, 'no_such_template', 'en'));
		expect(missing).toBeInstanceOf(InputError);
		expect(missing).toMatchObject({ field: 'Template Name', category: 'template_not_found' });
	});
});
