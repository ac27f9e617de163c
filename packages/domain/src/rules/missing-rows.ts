/**
 * Plain words for a change that names a row that is gone (deleted, or never
 * there), the same on the phone and the server.
 */

export const JOB_GONE_MESSAGE = 'This job no longer exists.';
export const ASSIGNMENT_GONE_MESSAGE = 'This assignment no longer exists.';
export const MATERIAL_GONE_MESSAGE = 'This material is no longer on the list.';
export const CONTRACTOR_GONE_MESSAGE = 'That contractor does not exist.';
export const ATTACHMENT_GONE_MESSAGE = 'This file is no longer on the job.';
