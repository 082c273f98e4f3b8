import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class GetUserProfileInput {
  /** Goes into the backend path, so only characters that cannot change the path are accepted. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'user_id may contain only letters, digits, "_" and "-"' })
  user_id!: string;
}
