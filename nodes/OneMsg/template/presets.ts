/**
 * Scenario presets from 1MSG's use-case library (1msg.io/use-cases/…). Each is data only: the template
 * text 1MSG suggests, and its body variables in `{{1}}…{{n}}` order with labels a person can fill.
 * Buttons on these templates are static in the approved template (nothing is sent for them), except
 * the copy-code button of authentication (OTP) templates, which must repeat the code.
 */

export type PresetCategory = 'Orders' | 'Notifications' | 'Payments' | 'Bookings' | 'Support' | 'Sales' | 'Security';

/** Meta's template categories; authentication templates carry one-time codes. */
export type TemplateCategory = 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';

export interface PresetVariable {
	/** Stable key, and the name of the node parameter holding the value (shared by presets that use it). */
	key: string;
	label: string;
	description: string;
	example: string;
}

export interface ScenarioPreset {
	value: string;
	title: string;
	category: PresetCategory;
	/** Meta's category for the template this scenario needs, as it is created for approval. */
	templateCategory: TemplateCategory;
	description: string;
	/** The template body 1MSG's page suggests, with `{{n}}` placeholders. */
	templateText: string;
	/** How the button of the suggested template is filled: static buttons send nothing. */
	button: { type: 'url' | 'quick_reply' | 'copy_code'; text: string };
	/** 1MSG's page for this scenario. */
	sourcePath: string;
	variables: PresetVariable[];
}

const customerName = (example: string, description = 'Name of the customer as it should appear in the greeting'): PresetVariable => ({
	key: 'customerName',
	label: 'Customer Name',
	description,
	example,
});

const v = (key: string, label: string, description: string, example: string): PresetVariable => ({
	key,
	label,
	description,
	example,
});

const url = (text: string) => ({ type: 'url' as const, text });

export const SCENARIO_PRESETS: readonly ScenarioPreset[] = [
	// Orders
	{
		value: 'newOrderConfirmation',
		title: 'New Order Confirmation',
		category: 'Orders',
		templateCategory: 'UTILITY',
		description: 'Confirms a newly accepted order with its number, product and total',
		templateText:
			'Hello, {{1}}! Your order #{{2}} for "{{3}}" totaling {{4}} has been accepted. We will notify you when it ships.',
		button: url('View order'),
		sourcePath: '/br/use-cases/orders/new-order-confirmation',
		variables: [
			customerName('Maria'),
			v('orderNumber', 'Order Number', 'Order number as the customer knows it, without the # sign', '10482'),
			v('productName', 'Product Name', 'Product or order summary shown in quotes', 'Wireless headphones'),
			v('orderTotal', 'Order Total', 'Total amount with its currency', '$129.90'),
		],
	},
	{
		value: 'orderNoResponseNotification',
		title: 'Order No-Response Notification',
		category: 'Orders',
		templateCategory: 'UTILITY',
		description:
			'Reminds a customer who has not answered an order-related message (delivery slot, address, pickup time)',
		templateText: 'Hello, {{1}}! We are waiting for your reply regarding order #{{2}}: {{3}}. {{4}}.',
		button: url('Confirm order'),
		sourcePath: '/mx/use-cases/orders/order-no-response-notification',
		variables: [
			customerName('Alexey'),
			v('orderNumber', 'Order Number', 'Order number as the customer knows it, without the # sign', '10482'),
			v(
				'pendingAction',
				'Pending Action',
				'What the customer still has to answer: delivery slot, address or pickup time',
				'delivery slot confirmation',
			),
			v(
				'reminderNote',
				'Reminder Note',
				'Reminder instruction or deadline; the template adds the final period',
				'Please choose a convenient time by tomorrow 6:00 PM, otherwise shipment may be rescheduled',
			),
		],
	},
	{
		value: 'orderCancellationNotification',
		title: 'Order Cancellation Notification',
		category: 'Orders',
		templateCategory: 'UTILITY',
		description: 'Tells the customer an order was cancelled, with the reason, refund or next step',
		templateText: 'Hello, {{1}}! Order #{{2}} for "{{3}}" has been cancelled. {{4}}.',
		button: url('Order details'),
		sourcePath: '/br/use-cases/orders/order-cancellation-notification',
		variables: [
			customerName('Maria'),
			v('orderNumber', 'Order Number', 'Order number, without the # sign', '10482'),
			v('productName', 'Product Name', 'Product or order summary shown in quotes', 'Wireless headphones'),
			v('nextStep', 'Reason or Next Step', 'Why it was cancelled, the refund, or what happens next', 'The refund will reach your card within 5 business days'),
		],
	},
	{
		value: 'orderReturnNotification',
		title: 'Order Return Notification',
		category: 'Orders',
		templateCategory: 'UTILITY',
		description: 'Confirms that a return was initiated, with its status, refund or drop-off details',
		templateText: 'Hello, {{1}}! A return has been initiated for order #{{2}} for "{{3}}". {{4}}.',
		button: url('Return details'),
		sourcePath: '/br/use-cases/orders/order-return-notification',
		variables: [
			customerName('Maria'),
			v('orderNumber', 'Order Number', 'Order number, without the # sign', '10482'),
			v('productName', 'Product Name', 'Returned product shown in quotes', 'Wireless headphones'),
			v('returnDetails', 'Return Details', 'Return status, refund or drop-off instructions', 'Please drop the parcel at any pickup point within 7 days'),
		],
	},
	{
		value: 'deliveryDelayNotification',
		title: 'Delivery Delay Notification',
		category: 'Orders',
		templateCategory: 'UTILITY',
		description: 'Warns that an order is delayed, with the new delivery estimate or the reason',
		templateText: 'Hello, {{1}}! Unfortunately, delivery of order #{{2}} for "{{3}}" is delayed. {{4}}.',
		button: url('Track shipment'),
		sourcePath: '/mx/use-cases/orders/delivery-delay-notification',
		variables: [
			customerName('Maria'),
			v('orderNumber', 'Order Number', 'Order number, without the # sign', '10482'),
			v('productName', 'Product Name', 'Delayed product shown in quotes', 'Wireless headphones'),
			v('delayDetails', 'New ETA or Reason', 'The new delivery estimate or the reason for the delay', 'New estimated delivery date: June 14'),
		],
	},
	{
		value: 'partnerDeliveryConfirmation',
		title: 'Partner Delivery Confirmation',
		category: 'Orders',
		templateCategory: 'UTILITY',
		description: "Tells a partner (pickup point, reseller) that an order reached them; send it to the partner's phone",
		templateText: 'Hello, {{1}}! Order #{{2}} for "{{3}}" has been delivered to your partner pickup point. {{4}}.',
		button: url('Handoff details'),
		sourcePath: '/mx/use-cases/orders/partner-delivery-confirmation',
		variables: [
			v('partnerCompany', 'Partner Company', 'Name of the partner company or pickup point', 'North Side Pickup'),
			v('orderNumber', 'Order Number', 'Order number, without the # sign', '10482'),
			v('productName', 'Product Name', 'Delivered product shown in quotes', 'Wireless headphones'),
			v('receiptNote', 'Receipt Note', 'What the partner should do or check on receipt', 'Please confirm receipt in the partner portal'),
		],
	},
	{
		value: 'newRouteNotification',
		title: 'New Route Notification',
		category: 'Orders',
		templateCategory: 'UTILITY',
		description: "Tells a dispatcher or driver about a new delivery route; send it to the manager's phone",
		templateText: 'Hello, {{1}}! A new route #{{2}} has been created: "{{3}}". {{4}}.',
		button: url('Route details'),
		sourcePath: '/br/use-cases/orders/new-route-notification',
		variables: [
			v('dispatcherName', 'Dispatcher Name', 'Name of the dispatcher or driver', 'Carlos'),
			v('routeNumber', 'Route Number', 'Route number, without the # sign', 'R-2207'),
			v('routeName', 'Route Name', 'Route name or region shown in quotes', 'Downtown morning loop'),
			v('routeDetails', 'Route Details', 'Departure time, stops or next step', 'Departure at 8:00 AM, 12 stops'),
		],
	},
	// Notifications
	{
		value: 'clientInactivityNotification',
		title: 'Client Inactivity Notification',
		category: 'Notifications',
		templateCategory: 'UTILITY',
		description: 'Nudges a client who stalled mid-process (account setup, checkout, document upload) to continue',
		templateText:
			'Hello, {{1}}! We noticed you have not yet completed {{2}}. If you would like to continue — we are ready to help and answer your questions at any time.',
		button: url('Continue'),
		sourcePath: '/mx/use-cases/notifications/client-inactivity-notification',
		variables: [
			customerName('Maria'),
			v(
				'incompleteAction',
				'Incomplete Action',
				'The action or process the client has not completed, e.g. account setup, order checkout, document upload',
				'account setup',
			),
		],
	},
	{
		value: 'statusChangeNotification',
		title: 'Status Change Notification',
		category: 'Notifications',
		templateCategory: 'UTILITY',
		description: 'Tells the customer that the status of an order, application or ticket changed',
		templateText: 'Hello {{1}}, the status of your {{2}} has been updated to: {{3}}. Tap below for details.',
		button: url('View status'),
		sourcePath: '/use-cases/notifications/status-change-notification',
		variables: [
			customerName('Maria'),
			v('entityName', 'Process or Entity', 'What changed, e.g. order #10482, application, ticket', 'order #10482'),
			v('newStatus', 'New Status', 'The new status label', 'Shipped'),
		],
	},
	{
		value: 'serviceChangeNotification',
		title: 'Service Change Notification',
		category: 'Notifications',
		templateCategory: 'UTILITY',
		description: 'Informs the customer about a change to a service or process they use',
		templateText: 'Hello, {{1}}! The status of your {{2}} has been updated. {{3}} If you need help — we are here.',
		button: url('Learn more'),
		sourcePath: '/mx/use-cases/notifications/service-change-notification',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service or Process', 'The service or process that changed', 'internet plan'),
			v('changeSummary', 'Change Summary', 'One sentence describing the change', 'Your speed was upgraded to 500 Mbps.'),
		],
	},
	{
		value: 'nextStepNotification',
		title: 'Next Step Notification',
		category: 'Notifications',
		templateCategory: 'UTILITY',
		description: 'Tells the customer what the next step of their process or case is',
		templateText: 'Hello, {{1}}! For your process "{{2}}", the next step is: {{3}}. Open the portal to continue.',
		button: url('Open portal'),
		sourcePath: '/br/use-cases/notifications/next-step-notification',
		variables: [
			customerName('Maria'),
			v('processName', 'Process or Case', 'Name of the process or case shown in quotes', 'Visa application'),
			v('nextStep', 'Next Step', 'What the customer should do next', 'upload a copy of your passport'),
		],
	},
	{
		value: 'bookingConfirmation',
		title: 'Booking Confirmation',
		category: 'Notifications',
		templateCategory: 'UTILITY',
		description: 'Confirms an appointment with its service, date and time',
		templateText: 'Hello, {{1}}! Your appointment for {{2}} is confirmed. Date: {{3}}, time: {{4}}. We look forward to seeing you.',
		button: url('Open website'),
		sourcePath: '/br/use-cases/notifications/booking-confirmation',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service', 'The booked service', 'haircut'),
			v('date', 'Date', 'Appointment date as the customer should read it', 'June 12'),
			v('time', 'Time', 'Appointment time as the customer should read it', '3:30 PM'),
		],
	},
	{
		value: 'registrationWelcome',
		title: 'Registration Welcome',
		category: 'Notifications',
		templateCategory: 'UTILITY',
		description: 'Welcomes a newly registered user to your service or app',
		templateText: 'Welcome {{1}}! Thank you for registering with {{2}}. Your account is ready to use.',
		button: url('Open Account'),
		sourcePath: '/mx/use-cases/notifications/registration-welcome',
		variables: [customerName('Maria'), v('serviceName', 'Service or App', 'Name of your service or app', 'Acme Cloud')],
	},
	// Payments
	{
		value: 'upcomingPaymentReminder',
		title: 'Upcoming Payment Reminder',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Reminds the customer of a payment that is due soon',
		templateText: 'Hello, {{1}}! A payment of {{2}} is due on {{3}}. Please make sure it is paid on time.',
		button: url('Pay now'),
		sourcePath: '/use-cases/payments/upcoming-payment-reminder',
		variables: [
			customerName('Maria'),
			v('amount', 'Amount', 'Amount due with its currency', '$49.00'),
			v('dueDate', 'Due Date', 'Date the payment is due', 'June 30'),
		],
	},
	{
		value: 'paymentOverdueReminder',
		title: 'Payment Overdue Reminder',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Tells the customer a payment is overdue',
		templateText: 'Hi {{1}}, this is a reminder that your payment of {{2}} is now overdue as of {{3}}. Please pay as soon as possible.',
		button: url('Pay'),
		sourcePath: '/br/use-cases/payments/payment-overdue-reminder',
		variables: [
			customerName('Maria'),
			v('outstandingAmount', 'Outstanding Amount', 'Overdue amount with its currency', '$49.00'),
			v('overdueDate', 'Overdue Date', 'Date since when the payment is overdue', 'June 30'),
		],
	},
	{
		value: 'paymentLinkSend',
		title: 'Payment Link',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Sends a payment request; the link is the static button of the template',
		templateText: 'Hello, {{1}}! Please pay {{2}} by {{3}} using the link below.',
		button: url('Pay now'),
		sourcePath: '/mx/use-cases/payments/payment-link-send',
		variables: [
			customerName('Maria'),
			v('amount', 'Amount', 'Amount to pay with its currency', '$49.00'),
			v('dueDate', 'Due Date', 'Date to pay by', 'June 30'),
		],
	},
	{
		value: 'paymentSuccessConfirmation',
		title: 'Payment Success Confirmation',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Confirms that a payment was received',
		templateText: 'Hi {{1}}, we have received your payment of {{2}} on {{3}}. Thank you!',
		button: url('Receipt'),
		sourcePath: '/mx/use-cases/payments/payment-success-confirmation',
		variables: [
			customerName('Maria'),
			v('amount', 'Amount', 'Amount received with its currency', '$49.00'),
			v('paymentDate', 'Payment Date', 'Date the payment was received', 'June 28'),
		],
	},
	{
		value: 'offlinePaymentNotification',
		title: 'Offline Payment Notification',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Confirms a payment recorded offline (cash, bank transfer)',
		templateText: 'Hello, {{1}}! We recorded your offline payment of {{2}} on {{3}}. Thank you!',
		button: url('View receipt'),
		sourcePath: '/use-cases/payments/offline-payment-notification',
		variables: [
			customerName('Maria'),
			v('amount', 'Amount', 'Amount recorded with its currency', '$49.00'),
			v('paymentDate', 'Payment Date', 'Date the payment was recorded', 'June 28'),
		],
	},
	{
		value: 'newPaymentNotification',
		title: 'New Payment Notification (Internal)',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: "Tells a finance manager that a customer paid; send it to the manager's phone",
		templateText: '💳 New payment received / Customer: {{1}} / Amount: {{2}} / Date: {{3}}',
		button: url('Open billing'),
		sourcePath: '/use-cases/payments/new-payment-notification',
		variables: [
			v('customerName', 'Customer Name', 'Name of the customer who paid', 'Maria Silva'),
			v('amount', 'Amount', 'Amount paid with its currency', '$49.00'),
			v('paymentDate', 'Payment Date', 'Date of the payment', 'June 28'),
		],
	},
	{
		value: 'monthlyInvoiceNotification',
		title: 'Monthly Invoice Notification',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Sends the monthly invoice amount and due date for a plan',
		templateText: 'Hello, {{1}}! Your monthly invoice for "{{2}}" is {{3}}. Payment due: {{4}}.',
		button: url('Pay invoice'),
		sourcePath: '/use-cases/payments/monthly-invoice-notification',
		variables: [
			customerName('Maria'),
			v('planName', 'Plan Name', 'Plan or product shown in quotes', 'Business Pro'),
			v('amount', 'Amount', 'Invoice amount with its currency', '$49.00'),
			v('dueDate', 'Due Date', 'Payment due date', 'June 30'),
		],
	},
	{
		value: 'invoiceSendNotification',
		title: 'Invoice Issued Notification',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Tells the customer that an invoice was issued, with its amount and due date',
		templateText: 'Hello, {{1}}! Invoice #{{2}} has been issued for {{3}}. Payment due: {{4}}.',
		button: url('Pay invoice'),
		sourcePath: '/mx/use-cases/payments/invoice-send-notification',
		variables: [
			customerName('Maria'),
			v('invoiceNumber', 'Invoice Number', 'Invoice number, without the # sign', 'INV-2024-0113'),
			v('amount', 'Amount', 'Invoice amount with its currency', '$49.00'),
			v('dueDate', 'Due Date', 'Payment due date', 'June 30'),
		],
	},
	{
		value: 'subscriptionConfirmation',
		title: 'Subscription Confirmation',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Confirms that a subscription is active',
		templateText: 'Hello, {{1}}! Your subscription to "{{2}}" for {{3}} is active as of {{4}}. Thank you for choosing us.',
		button: url('View subscription'),
		sourcePath: '/mx/use-cases/payments/subscription-confirmation',
		variables: [
			customerName('Maria'),
			v('planName', 'Plan Name', 'Subscribed plan shown in quotes', 'Business Pro'),
			v('amount', 'Amount', 'Price with its currency and period', '$49.00/month'),
			v('activationDate', 'Activation Date', 'Date the subscription became active', 'June 1'),
		],
	},
	{
		value: 'planExpiryNotification',
		title: 'Plan Expiry Notification',
		category: 'Payments',
		templateCategory: 'UTILITY',
		description: 'Warns that a plan is about to end and invites renewal',
		templateText: 'Hello, {{1}}! Your plan "{{2}}" ends on {{3}}. Renew now to keep your access.',
		button: url('Renew plan'),
		sourcePath: '/br/use-cases/payments/plan-expiry-notification',
		variables: [
			customerName('Maria'),
			v('planName', 'Plan Name', 'Expiring plan shown in quotes', 'Business Pro'),
			v('expiryDate', 'Expiry Date', 'Date the plan ends', 'June 30'),
		],
	},
	// Bookings
	{
		value: 'upcomingVisitReminder',
		title: 'Upcoming Visit Reminder',
		category: 'Bookings',
		templateCategory: 'UTILITY',
		description: 'Reminds the customer of an upcoming appointment',
		templateText: 'Hello, {{1}}! Reminder: your appointment for {{2}} is on {{3}} at {{4}}. We look forward to seeing you.',
		button: url('View booking'),
		sourcePath: '/use-cases/bookings/upcoming-visit-reminder',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service', 'The booked service', 'dental check-up'),
			v('date', 'Date', 'Appointment date', 'June 12'),
			v('time', 'Time', 'Appointment time', '3:30 PM'),
		],
	},
	{
		value: 'advanceBookingReminder',
		title: 'Advance Booking Reminder',
		category: 'Bookings',
		templateCategory: 'UTILITY',
		description: 'Reminds the customer of an appointment well ahead, so they can plan',
		templateText: 'Hello, {{1}}! Reminder: your appointment for {{2}} is on {{3}} at {{4}}. Please plan ahead.',
		button: url('View booking'),
		sourcePath: '/br/use-cases/bookings/advance-booking-reminder',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service', 'The booked service', 'dental check-up'),
			v('date', 'Date', 'Appointment date', 'June 12'),
			v('time', 'Time', 'Appointment time', '3:30 PM'),
		],
	},
	{
		value: 'bookingChangeNotification',
		title: 'Booking Change Notification',
		category: 'Bookings',
		templateCategory: 'UTILITY',
		description: 'Tells the customer that a booking changed, with the new date',
		templateText: 'Hello, {{1}}! Your booking for {{2}} has changed: {{3}}. New date: {{4}}.',
		button: url('View booking'),
		sourcePath: '/use-cases/bookings/booking-change-notification',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service', 'The booked service', 'dental check-up'),
			v('changeSummary', 'Change Summary', 'What changed', 'your doctor is unavailable'),
			v('newDate', 'New Date', 'The new date (and time)', 'June 14 at 10:00 AM'),
		],
	},
	{
		value: 'preVisitInstructions',
		title: 'Pre-Visit Instructions',
		category: 'Bookings',
		templateCategory: 'UTILITY',
		description: 'Sends instructions to follow before an appointment',
		templateText: 'Hello, {{1}}! Before your {{2}} on {{3}}, please note: {{4}}',
		button: url('View booking'),
		sourcePath: '/mx/use-cases/bookings/pre-visit-instructions',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service', 'The booked service', 'blood test'),
			v('date', 'Date', 'Appointment date', 'June 12'),
			v('instructions', 'Instructions', 'What to do before the visit (one line)', 'do not eat for 8 hours before the test.'),
		],
	},
	{
		value: 'pendingBookingConfirmation',
		title: 'Pending Booking Confirmation',
		category: 'Bookings',
		templateCategory: 'UTILITY',
		description: 'Asks the customer to confirm or cancel a booking; the reply arrives as an incoming message',
		templateText: 'Hello, {{1}}! Please confirm your {{2}} booking on {{3}} at {{4}}:',
		button: { type: 'quick_reply', text: 'Confirm / Cancel' },
		sourcePath: '/br/use-cases/bookings/pending-booking-confirmation',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service', 'The booked service', 'massage'),
			v('date', 'Date', 'Booking date', 'June 12'),
			v('time', 'Time', 'Booking time', '3:30 PM'),
		],
	},
	{
		value: 'visitDatetimeClarification',
		title: 'Visit Date and Time Clarification',
		category: 'Bookings',
		templateCategory: 'UTILITY',
		description: 'Proposes a date and time and asks the customer to confirm or ask for another',
		templateText: 'Hello, {{1}}! Please confirm your {{2}} appointment on {{3}} at {{4}}:',
		button: { type: 'quick_reply', text: 'Confirm / Other time' },
		sourcePath: '/use-cases/bookings/visit-datetime-clarification',
		variables: [
			customerName('Maria'),
			v('serviceName', 'Service', 'The service to book', 'massage'),
			v('proposedDate', 'Proposed Date', 'The date you propose', 'June 12'),
			v('proposedTime', 'Proposed Time', 'The time you propose', '3:30 PM'),
		],
	},
	// Support
	{
		value: 'ticketAcceptedNotification',
		title: 'Ticket Accepted Notification',
		category: 'Support',
		templateCategory: 'UTILITY',
		description: 'Confirms that a support request was accepted, with the next step or ETA',
		templateText: 'Hello, {{1}}! Your request #{{2}} has been accepted for processing. {{3}} We will keep you updated.',
		button: url('Request status'),
		sourcePath: '/mx/use-cases/support/ticket-accepted-notification',
		variables: [
			customerName('Maria'),
			v('ticketNumber', 'Ticket Number', 'Ticket number, without the # sign', '58213'),
			v('nextStep', 'Next Step or ETA', 'What happens next or when to expect an answer', 'A specialist will reply within 4 hours.'),
		],
	},
	{
		value: 'agentAssignedNotification',
		title: 'Agent Assigned Notification',
		category: 'Support',
		templateCategory: 'UTILITY',
		description: 'Tells the customer which specialist was assigned to their request',
		templateText: 'Hello, {{1}}! A specialist has been assigned to your request #{{2}}: {{3}}. They will contact you shortly.',
		button: url('Request status'),
		sourcePath: '/use-cases/support/agent-assigned-notification',
		variables: [
			customerName('Maria'),
			v('ticketNumber', 'Ticket Number', 'Ticket number, without the # sign', '58213'),
			v('agentName', 'Specialist Name', 'Name of the assigned specialist', 'Anna Petrova'),
		],
	},
	// Sales
	{
		value: 'proposalFollowup',
		title: 'Proposal Follow-Up',
		category: 'Sales',
		templateCategory: 'MARKETING',
		description: 'Follows up on a proposal sent to a prospect, with a recommended next step',
		templateText: 'Hi {{1}}, we wanted to follow up on the proposal we sent you for {{2}}. Our recommendation - {{3}}. Let us know if you have any questions.',
		button: url('View Proposal'),
		sourcePath: '/use-cases/lead-processing-sales/proposal-followup',
		variables: [
			v('prospectName', 'Prospect Name', 'Name of the prospect', 'John'),
			v('productName', 'Product or Service', 'What the proposal is for', 'the annual support plan'),
			v('nextStep', 'Recommended Next Step', 'The next step you recommend', 'a 20-minute call this week'),
		],
	},
	// Security: authentication templates; the code also fills the copy-code button, which Meta lists
	// as a URL button (otp/code link) once created, though it is created as OTP.
	{
		value: 'otpVerification',
		title: 'OTP Verification Code',
		category: 'Security',
		templateCategory: 'AUTHENTICATION',
		description: 'Sends a one-time verification code (authentication template with a copy-code button)',
		templateText: '{{1}} is your verification code. For your security, do not share this code with anyone.',
		button: { type: 'copy_code', text: 'Copy code' },
		sourcePath: '/br/use-cases/security/otp-verification',
		variables: [v('code', 'Verification Code', 'The one-time code; it also fills the copy-code button', '482915')],
	},
	{
		value: 'otpRegistration',
		title: 'OTP Registration Code',
		category: 'Security',
		templateCategory: 'AUTHENTICATION',
		description: 'Sends a one-time code to confirm a new registration (authentication template)',
		templateText: '{{1}} is your verification code. For your security, do not share this code with anyone.',
		button: { type: 'copy_code', text: 'Copy code' },
		sourcePath: '/br/use-cases/security/otp-registration',
		variables: [v('code', 'Verification Code', 'The one-time code; it also fills the copy-code button', '482915')],
	},
	{
		value: 'otpResend',
		title: 'OTP Resend Code',
		category: 'Security',
		templateCategory: 'AUTHENTICATION',
		description: 'Sends a new one-time code when the user asks for it again (authentication template)',
		templateText: '{{1}} is your verification code. For your security, do not share this code with anyone.',
		button: { type: 'copy_code', text: 'Copy code' },
		sourcePath: '/br/use-cases/security/otp-resend',
		variables: [v('code', 'Verification Code', 'The one-time code; it also fills the copy-code button', '482915')],
	},
];

const BY_VALUE = new Map(SCENARIO_PRESETS.map((preset) => [preset.value, preset]));

export function findPreset(value: string): ScenarioPreset | undefined {
	return BY_VALUE.get(value);
}
