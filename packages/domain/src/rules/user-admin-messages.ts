/**
 * Why a change to the company's people is refused, in the words both the
 * server's handlers and the devices' appliers use, so a refusal reads the
 * same whether the phone or the server said it first.
 */
export const USER_GONE_MESSAGE = 'This person is no longer in your company.';
export const INVITE_OFFICE_MESSAGE = 'Only an admin can invite admins and dispatchers.';
export const OWN_ROLE_MESSAGE = 'You cannot change your own role. Ask another admin to do it.';
export const CONTRACTOR_ROLE_CHANGE_MESSAGE =
  'A contractor cannot become office staff, nor office staff a contractor. Invite them again with the new role.';
export const OWN_ACCOUNT_MESSAGE = 'You cannot turn your own account off or on. Ask another admin to do it.';
