import { SCENARIO_PRESETS, findPreset } from '../../../../nodes/OneMsg/template/presets';
import { planSend } from '../../../../nodes/OneMsg/template/sendPlan';
import { placeholdersOf } from '../../../../nodes/OneMsg/template/templates';
import {
	CLIENT_INACTIVITY_EXAMPLE,
	ORDER_NO_RESPONSE_EXAMPLE,
	clientInactivitySeedBody,
	orderNoResponseSeedBody,
} from '../../../fixtures/seeds';
import { NAMESPACE, templateForPreset } from '../../../fixtures/templates';

describe('scenario presets', () => {
	it('cover every template scenario of the 1MSG use-case library', () => {
		expect(SCENARIO_PRESETS.length).toBeGreaterThanOrEqual(30);
		const categories = new Set(SCENARIO_PRESETS.map((p) => p.category));
		expect([...categories].sort()).toEqual(['Bookings', 'Notifications', 'Orders', 'Payments', 'Sales', 'Security', 'Support']);
		expect(new Set(SCENARIO_PRESETS.map((p) => p.value)).size).toBe(SCENARIO_PRESETS.length);
	});

	it.each(SCENARIO_PRESETS.map((p) => [p.value, p] as const))(
		'%s names one labelled variable per placeholder of its template text',
		(_value, preset) => {
			expect(placeholdersOf(preset.templateText)).toEqual(preset.variables.map((_v, i) => String(i + 1)));
			for (const variable of preset.variables) {
				expect(variable.label).toMatch(/^[A-Z][A-Za-z]*( [A-Z][A-Za-z]*| or [A-Z][A-Za-z]*)*$/);
				expect(variable.description.length).toBeGreaterThan(10);
				expect(variable.example).not.toBe('');
			}
			expect(new Set(preset.variables.map((v) => v.key)).size).toBe(preset.variables.length);
		},
	);

	it.each(SCENARIO_PRESETS.map((p) => [p.value, p] as const))('%s builds exactly the expected params', (_value, preset) => {
		const template = templateForPreset(preset.value);
		const values = Object.fromEntries(preset.variables.map((v) => [v.key, v.example]));
		const plan = planSend(
			{ preset, templateChoice: { name: template.name }, phone: '79991234567', presetValues: values, cleanText: true },
			[template],
		);
		const body = { type: 'body', parameters: preset.variables.map((v) => ({ type: 'text', text: v.example })) };
		// Static URL and quick-reply buttons send nothing; the OTP copy-code button repeats the code, at
		// index "0" as Meta's "Copy code authentication templates" page sends it.
		const expected =
			preset.button.type === 'copy_code'
				? [body, { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: preset.variables[0].example }] }]
				: [body];
		expect(plan.body.params).toEqual(expected);
		expect(plan.renderedText).not.toMatch(/\{\{/);
		expect(plan.variables).toEqual(Object.fromEntries(preset.variables.map((v) => [v.label, v.example])));
	});

	it('order no-response builds a body equal to the seed code for the seed example', () => {
		const preset = findPreset('orderNoResponseNotification')!;
		const template = templateForPreset(preset.value, 'order_no_response_notification');
		const e = ORDER_NO_RESPONSE_EXAMPLE;
		const plan = planSend(
			{
				preset,
				templateChoice: { name: 'order_no_response_notification', language: 'en' },
				phone: e.phone,
				presetValues: e,
				cleanText: true,
			},
			[template],
		);
		expect(plan.body).toEqual(
			orderNoResponseSeedBody(
				{ template: 'order_no_response_notification', namespace: NAMESPACE, language: 'en' },
				{ phone: e.phone, customerName: e.customerName, ticketNumber: e.orderNumber, topic: e.pendingAction, nextStep: e.reminderNote },
			),
		);
		expect(plan.renderedText).toBe(
			'Hello, Alexey! We are waiting for your reply regarding order #10482: delivery slot confirmation. Please choose a convenient time by tomorrow 6:00 PM, otherwise shipment may be rescheduled.',
		);
		expect(preset.variables.map((v) => v.label)).toEqual(['Customer Name', 'Order Number', 'Pending Action', 'Reminder Note']);
	});

	it('client inactivity builds a body equal to the seed code for the seed example', () => {
		const preset = findPreset('clientInactivityNotification')!;
		const template = templateForPreset(preset.value, 'client_inactivity_notification');
		const e = CLIENT_INACTIVITY_EXAMPLE;
		const plan = planSend(
			{ preset, templateChoice: { name: 'client_inactivity_notification' }, phone: e.phone, presetValues: e, cleanText: true },
			[template],
		);
		expect(plan.body).toEqual(
			clientInactivitySeedBody(
				{ template: 'client_inactivity_notification', namespace: NAMESPACE, language: 'en' },
				{ phone: e.phone, customerName: e.customerName, incompleteAction: e.incompleteAction },
			),
		);
		expect(preset.variables.map((v) => v.label)).toEqual(['Customer Name', 'Incomplete Action']);
	});
});
