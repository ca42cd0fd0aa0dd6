// A delivery body with one event of every typed kind of wrike-api.md §6.3 (and the
// unconfirmed timelog/approval fields, which stay in `extra`). Shared by the decoding and the
// receiver tests.
#pragma once

#include <cstddef>
#include <string_view>

namespace webhook_test {

inline constexpr std::size_t kAllKindsCount = 33;

inline constexpr std::string_view kAllKindsDelivery = R"json([
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskStatusChanged","taskId":"MAAAAAEOud3s","oldStatus":"Active","status":"Completed","oldCustomStatusId":"IEAAIKU5JMAAAAAA","customStatusId":"IEAAIKU5JMAAAAAB","lastUpdatedDate":"2026-08-11T23:35:42Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskTitleChanged","taskId":"MAAAAAEOud3s","oldValue":"Draft plan","title":"Final plan","lastUpdatedDate":"2026-08-11T23:35:01Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderTitleChanged","folderId":"MQAAAAEN9zQV","oldValue":"Q3","title":"Q3 launch","lastUpdatedDate":"2026-08-11T23:35:02Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskImportanceChanged","taskId":"MAAAAAEOud3s","oldValue":"Normal","importance":"High","lastUpdatedDate":"2026-08-11T23:35:03Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskDatesChanged","taskId":"MAAAAAEOud3s","oldValue":{"type":"Backlog"},"dates":{"type":"Planned","duration":960,"start":"2026-08-12T09:00:00","due":"2026-08-14T17:00:00","workOnWeekends":false},"lastUpdatedDate":"2026-08-11T23:35:04Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"ProjectDatesChanged","folderId":"MQAAAAEN9zQV","oldValue":{"start":"2026-07-01","end":"2026-09-30"},"dates":{"start":"2026-07-01","end":"2026-12-31"},"lastUpdatedDate":"2026-08-11T23:35:05Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskParentsAdded","taskId":"MAAAAAEOud3s","addedParents":["MQAAAAEN9zQV","IEAAIKU5I7777777"],"lastUpdatedDate":"2026-08-11T23:35:06Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskParentsRemoved","taskId":"MAAAAAEOud3s","removedParents":["IEAAIKU5I7777777"],"lastUpdatedDate":"2026-08-11T23:35:07Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderParentsAdded","folderId":"MQAAAAEN9zQV","addedParents":["IEAAIKU5I7777777"],"lastUpdatedDate":"2026-08-11T23:35:08Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderParentsRemoved","folderId":"MQAAAAEN9zQV","removedParents":["IEAAIKU5I7777778"],"lastUpdatedDate":"2026-08-11T23:35:09Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskResponsiblesAdded","taskId":"MAAAAAEOud3s","addedResponsibles":["KUAAXTKQ"],"lastUpdatedDate":"2026-08-11T23:35:10Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskResponsiblesRemoved","taskId":"MAAAAAEOud3s","removedResponsibles":["KUAAXTKR"],"lastUpdatedDate":"2026-08-11T23:35:11Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskSharedsAdded","taskId":"MAAAAAEOud3s","addedShareds":["KUAAXTKS"],"lastUpdatedDate":"2026-08-11T23:35:12Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderSharedsRemoved","folderId":"MQAAAAEN9zQV","removedShareds":["KUAAXTKT"],"lastUpdatedDate":"2026-08-11T23:35:13Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskCustomFieldChanged","taskId":"MAAAAAEOud3s","customFieldId":"IEAAIKU5JUAAAAAB","oldValue":"100","value":"250.5","lastUpdatedDate":"2026-08-11T23:35:14Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderCustomFieldChanged","folderId":"MQAAAAEN9zQV","customFieldId":"IEAAIKU5JUAAAAAC","oldValue":"","value":"[\"one\",\"three\"]","lastUpdatedDate":"2026-08-11T23:35:15Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskCustomFieldChanged","taskId":"MAAAAAEOud3s","customFieldId":"IEAAIKU5JUAAAAAD","oldValue":null,"value":"KUAAXTKP","lastUpdatedDate":"2026-08-11T23:35:16Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"AttachmentAdded","taskId":"MAAAAAEOud3s","attachmentId":"IEAAIKU5IYAAAAAA","lastUpdatedDate":"2026-08-11T23:35:17Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"AttachmentDeleted","taskId":"MAAAAAEOud3s","attachmentId":"IEAAIKU5IYAAAAAA","lastUpdatedDate":"2026-08-11T23:35:18Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderAttachmentAdded","folderId":"MQAAAAEN9zQV","attachmentId":"IEAAIKU5IYAAAAAB","lastUpdatedDate":"2026-08-11T23:35:19Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"CommentAdded","taskId":"MAAAAAEOud3s","commentId":"IEAAIKU5IMAAAAAA","comment":{"text":"Looks good","html":"<p>Looks good</p>"},"lastUpdatedDate":"2026-08-11T23:35:20Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"CommentDeleted","taskId":"MAAAAAEOud3s","commentId":"IEAAIKU5IMAAAAAA","lastUpdatedDate":"2026-08-11T23:35:21Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderCommentAdded","folderId":"MQAAAAEN9zQV","commentId":"IEAAIKU5IMAAAAAB","lastUpdatedDate":"2026-08-11T23:35:22Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"ProjectOwnersAdded","folderId":"MQAAAAEN9zQV","addedOwners":["KUAAXTKQ"],"lastUpdatedDate":"2026-08-11T23:35:23Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"ProjectOwnersRemoved","folderId":"MQAAAAEN9zQV","removedOwners":["KUAAXTKR"],"lastUpdatedDate":"2026-08-11T23:35:24Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"ProjectStatusChanged","folderId":"MQAAAAEN9zQV","oldStatus":"Green","status":"OnHold","lastUpdatedDate":"2026-08-11T23:35:25Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TimelogChanged","taskId":"MAAAAAEOud3s","timelogId":"IEAAIKU5JQAAAAAA","hours":1.5,"oldHours":1.0,"date":"2026-08-11","type":"Added","lastUpdatedDate":"2026-08-11T23:35:26Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskApprovalStatusChanged","taskId":"MAAAAAEOud3s","approvalId":"IEAAIKU5KAAAAAAA","decision":"Approved","lastUpdatedDate":"2026-08-11T23:35:27Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskCreated","taskId":"MAAAAAEOud3s","lastUpdatedDate":"2026-08-11T23:35:28Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskDeleted","taskId":"MAAAAAEOud3s","lastUpdatedDate":"2026-08-11T23:35:29Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"TaskDescriptionChanged","taskId":"MAAAAAEOud3s","lastUpdatedDate":"2026-08-11T23:35:30Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderCreated","folderId":"MQAAAAEN9zQV","lastUpdatedDate":"2026-08-11T23:35:31Z"},
{"webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP","eventType":"FolderDeleted","folderId":"MQAAAAEN9zQV","lastUpdatedDate":"2026-08-11T23:35:32Z"}
])json";

}  // namespace webhook_test
